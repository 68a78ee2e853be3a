package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import dev.artifactstore.operator.api.DnsRecordStatus;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Step 5: every record the registry needs is in each endpoint's zone with the endpoint's address:
 * {reg} and {reg}.{region}.data for every region. Missing or wrong records are written; records the
 * store does not need are left alone.
 */
final class EnsureDnsRecords {
  static final String WRITING = "WritingDnsRecords";

  private final ZoneSnapshots snapshots;

  EnsureDnsRecords(ZoneSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  /**
   * The zone's records as far as this run can tell without a read of its own: what the endpoints'
   * zone groups reported in this run when every endpoint in the zone has just been linked, else the
   * shared listing of the zone.
   */
  private Map<String, List<String>> seen(
      StoreContext ctx, String zoneKey, DesiredStore.Endpoint at, DnsPort dns) {
    Map<String, List<String>> reported = new HashMap<>();
    for (DesiredStore.Endpoint endpoint : ctx.desired.endpoints()) {
      if (!endpoint.zoneId().equalsIgnoreCase(zoneKey)) {
        continue;
      }
      Map<String, List<String>> records = ctx.zoneGroupRecords.get(endpoint.name());
      if (records == null) {
        return snapshots.records(
            zoneKey, next -> dns.aRecordsPage(at.zoneResourceGroup(), at.zoneName(), next));
      }
      records.forEach(
          (name, ips) ->
              reported.merge(
                  name,
                  ips,
                  (a, b) ->
                      java.util.stream.Stream.concat(a.stream(), b.stream())
                          .distinct()
                          .sorted()
                          .toList()));
    }
    return reported;
  }

  StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    if (d.endpoints().isEmpty()) {
      return StepResult.done();
    }
    List<String> required = new ArrayList<>();
    required.add(d.loginServer());
    d.regions(ctx.replicaReady).forEach(r -> required.add(d.dataEndpoint(r)));

    // Desired records per zone: record name -> addresses of every endpoint in that zone.
    Map<String, Map<String, TreeSet<String>>> byZone = new LinkedHashMap<>();
    Map<String, DesiredStore.Endpoint> zones = new LinkedHashMap<>();
    for (DesiredStore.Endpoint endpoint : d.endpoints()) {
      String zoneKey = endpoint.zoneId().toLowerCase(Locale.ROOT);
      zones.put(zoneKey, endpoint);
      Map<String, List<String>> published = ctx.endpointDns.getOrDefault(endpoint.name(), Map.of());
      for (String fqdn : required) {
        byZone
            .computeIfAbsent(zoneKey, k -> new LinkedHashMap<>())
            .computeIfAbsent(DesiredStore.recordName(fqdn), k -> new TreeSet<>())
            .addAll(published.getOrDefault(fqdn, List.of()));
      }
    }

    int written = 0;
    Map<String, List<String>> actual = new HashMap<>();
    for (var zone : byZone.entrySet()) {
      DesiredStore.Endpoint at = zones.get(zone.getKey());
      DnsPort dns = ctx.portsFor.apply(at.zoneSubscription()).dns();
      Map<String, List<String>> seen;
      try {
        seen = seen(ctx, zone.getKey(), at, dns);
      } catch (AzureFailure e) {
        if (e.kind() == AzureFailure.Kind.NOT_FOUND) {
          ctx.dnsFact =
              Fact.isFalse("ZoneNotFound", "Private DNS zone " + at.zoneId() + " does not exist.");
          return new StepResult.Stalled(
              "InvalidSpec",
              "Private DNS zone "
                  + at.zoneId()
                  + " (private endpoint "
                  + at.name()
                  + ") does not exist; create it and"
                  + " link it to the endpoint's virtual network, or fix spec.privateEndpoints[].privateDnsZoneId.");
        }
        throw e;
      }
      for (var want : zone.getValue().entrySet()) {
        String name = want.getKey();
        List<String> ips = List.copyOf(want.getValue());
        List<String> haveIps = seen.getOrDefault(name, List.of());
        if (!ips.isEmpty() && !haveIps.equals(ips)) {
          // What was seen may be older than the zone: read the record itself before writing it.
          Optional<RecordSetInner> have = dns.aRecord(at.zoneResourceGroup(), at.zoneName(), name);
          haveIps = ZoneSnapshots.addresses(have.orElse(null));
          if (!haveIps.equals(ips)) {
            try {
              dns.putARecord(
                  at.zoneResourceGroup(),
                  at.zoneName(),
                  name,
                  ips,
                  have.map(RecordSetInner::etag).orElse(null));
            } catch (AzureFailure e) {
              if (e.status() == 412) {
                return new StepResult.Progressing(
                    WRITING,
                    "Record " + name + " changed while it was being written; reading it again.",
                    Backoff.MIN_POLL);
              }
              throw e;
            }
            written++;
            haveIps = ips;
          }
          snapshots.update(zone.getKey(), name, haveIps);
        }
        actual.put(zone.getKey() + "|" + name, haveIps);
      }
    }

    boolean complete = true;
    List<PrivateEndpointStatus> withRecords = new ArrayList<>();
    for (PrivateEndpointStatus status : ctx.endpoints) {
      DesiredStore.Endpoint endpoint =
          d.endpoints().stream()
              .filter(e -> e.name().equals(status.getName()))
              .findFirst()
              .orElseThrow();
      List<DnsRecordStatus> records = new ArrayList<>();
      for (String fqdn : required) {
        List<String> ips =
            actual.getOrDefault(
                endpoint.zoneId().toLowerCase(Locale.ROOT) + "|" + DesiredStore.recordName(fqdn),
                List.of());
        complete &= !ips.isEmpty();
        records.add(new DnsRecordStatus(fqdn, ips));
      }
      withRecords.add(
          new PrivateEndpointStatus(
              status.getName(), status.getResourceId(), status.getProvisioningState(), records));
    }
    ctx.endpoints.clear();
    ctx.endpoints.addAll(withRecords);
    if (!complete) {
      ctx.dnsFact =
          Fact.isFalse(
              "RecordsIncomplete", "Some endpoints have no address for a required name yet.");
      return new StepResult.Progressing(
          WRITING,
          "Waiting for private endpoint addresses for every region.",
          Backoff.DEFAULT_POLL);
    }
    ctx.dnsFact =
        Fact.isTrue(
            "RecordsComplete",
            required.size()
                + " names resolve privately through "
                + d.endpoints().size()
                + " endpoint(s)"
                + (written > 0 ? "; " + written + " record(s) written." : "."));
    return StepResult.done();
  }
}
