package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.RecordSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Private DNS zones of one subscription, by zone name. Writes keep Azure's etag rules, so a write
 * that would overwrite someone else's change fails with 412 as it does in Azure.
 */
final class FakeDns implements DnsPort {
  private final FakeAzure azure;

  /** Zone name -> record name -> A record set; a zone not here does not exist. */
  final Map<String, Map<String, RecordSet>> zones = new LinkedHashMap<>();

  /** Records per page of a listing. */
  int pageSize = 100;

  private int etags;

  FakeDns(FakeAzure azure) {
    this.azure = azure;
  }

  void addZone(String zone) {
    zones.putIfAbsent(zone, new LinkedHashMap<>());
  }

  /** The time to live of records put in by hand. */
  static final long HAND_MADE_TTL = 3600;

  /** Puts a record straight into the zone, as someone outside the operator would. */
  void set(String zone, String name, String... ips) {
    addZone(zone);
    zones
        .get(zone)
        .put(name, new RecordSet(name, List.of(ips), HAND_MADE_TTL, Map.of(), "etag-" + ++etags));
  }

  /** Puts a record with this metadata straight into the zone. */
  void set(String zone, String name, Map<String, String> metadata, String... ips) {
    addZone(zone);
    zones
        .get(zone)
        .put(name, new RecordSet(name, List.of(ips), HAND_MADE_TTL, metadata, "etag-" + ++etags));
  }

  List<String> addresses(String zone, String name) {
    RecordSet record = zones.get(zone).get(name);
    return record == null ? null : record.addresses();
  }

  @Override
  public RecordPage aRecordsPage(String resourceGroup, String zone, String continuation) {
    azure.call("LIST records " + zone + (continuation == null ? "" : " from " + continuation));
    List<RecordSet> all = new ArrayList<>(zone(zone).values());
    int from = continuation == null ? 0 : Integer.parseInt(continuation);
    int to = Math.min(all.size(), from + pageSize);
    return new RecordPage(
        List.copyOf(all.subList(from, to)), to < all.size() ? String.valueOf(to) : null);
  }

  @Override
  public List<RecordSet> aRecords(String resourceGroup, String zone) {
    List<RecordSet> all = new ArrayList<>();
    String next = null;
    do {
      RecordPage page = aRecordsPage(resourceGroup, zone, next);
      all.addAll(page.records());
      next = page.next();
    } while (next != null);
    return all;
  }

  @Override
  public Optional<RecordSet> aRecord(String resourceGroup, String zone, String name) {
    azure.call("GET record " + zone + "/" + name);
    return Optional.ofNullable(zone(zone).get(name));
  }

  @Override
  public RecordSet putARecord(
      String resourceGroup,
      String zone,
      String name,
      List<String> ips,
      long ttl,
      Map<String, String> metadata,
      String etag) {
    azure.call("PUT record " + zone + "/" + name);
    RecordSet current = zone(zone).get(name);
    boolean allowed =
        etag == null ? current == null : current != null && etag.equals(current.etag());
    if (!allowed) {
      throw new AzureFailure(
          AzureFailure.Kind.REJECTED,
          412,
          "PreconditionFailed",
          "record " + name + " changed since it was read",
          null);
    }
    RecordSet written =
        new RecordSet(
            name,
            ips.stream().sorted().toList(),
            ttl,
            metadata == null ? Map.of() : Map.copyOf(metadata),
            "etag-" + ++etags);
    zone(zone).put(name, written);
    return written;
  }

  @Override
  public void deleteARecord(String resourceGroup, String zone, String name, String etag) {
    azure.call("DELETE record " + zone + "/" + name);
    RecordSet current = zone(zone).get(name);
    if (current != null && etag != null && !etag.equals(current.etag())) {
      throw new AzureFailure(
          AzureFailure.Kind.REJECTED,
          412,
          "PreconditionFailed",
          "record " + name + " changed since it was read",
          null);
    }
    zone(zone).remove(name);
  }

  private Map<String, RecordSet> zone(String zone) {
    Map<String, RecordSet> records = zones.get(zone);
    if (records == null) {
      throw new AzureFailure(
          AzureFailure.Kind.NOT_FOUND,
          404,
          "ResourceNotFound",
          "zone " + zone + " not found",
          null);
    }
    return records;
  }
}
