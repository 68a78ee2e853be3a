package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.DnsRecordStatus;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.azure.RecordSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Step: every record the registry needs is in each endpoint's zone with the endpoint's address:
 * {reg} and {reg}.{region}.data for every region. Missing or wrong records are written; records the
 * store does not need are left alone.
 */
final class EnsureDnsRecords implements Step {
  static final String WRITING = "WritingDnsRecords";

  private final ZoneSnapshots snapshots;

  /** One zone the store's endpoints use: the records wanted there, and an endpoint naming it. */
  private record Zone(String key, DesiredStore.Endpoint at, Map<String, TreeSet<String>> wanted) {}

  EnsureDnsRecords(ZoneSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  @Override
  public Set<String> progressReasons() {
    return Set.of(WRITING);
  }

  @Override
  public StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    if (d.endpoints().isEmpty()) {
      return StepResult.done();
    }
    Findings.Endpoints endpoints = ctx.findings().endpoints();
    List<String> required = new ArrayList<>();
    required.add(d.loginServer());
    d.regions(ctx.findings().replicaReady()).forEach(r -> required.add(d.dataEndpoint(r)));

    int written = 0;
    Map<String, List<String>> actual = new HashMap<>();
    for (Zone zone : wanted(d, endpoints, required)) {
      DnsPort dns = ctx.portsFor.apply(zone.at().zoneSubscription()).dns();
      Map<String, List<String>> seen;
      try {
        seen = observe(ctx, zone, dns);
      } catch (AzureFailure e) {
        if (e.kind() != AzureFailure.Kind.NOT_FOUND) {
          throw e;
        }
        return report(ctx, endpoints.endpoints(), zoneNotFound(zone.at()));
      }
      for (var want : zone.wanted().entrySet()) {
        String name = want.getKey();
        List<String> ips = List.copyOf(want.getValue());
        List<String> have = seen.getOrDefault(name, List.of());
        if (!ips.isEmpty() && have.equals(ips)) {
          snapshots.watch(listing(ctx, zone), name, ResourceID.fromResource(ctx.store()));
        }
        if (!ips.isEmpty() && !have.equals(ips)) {
          try {
            Write w = write(ctx, zone, dns, name, ips);
            if (w.owner() != null) {
              return report(ctx, endpoints.endpoints(), ownedByAnother(zone, name, w.owner()));
            }
            written += w.wrote() ? 1 : 0;
          } catch (AzureFailure e) {
            if (e.status() != 412) {
              throw e;
            }
            return report(
                ctx,
                endpoints.endpoints(),
                new Fact.Stop(
                    null,
                    new StepResult.Progressing(
                        WRITING,
                        "Record " + name + " changed while it was being written; reading it again.",
                        Backoff.MIN_POLL)));
          }
          have = ips;
        }
        actual.put(zone.key() + "|" + name, have);
      }
    }
    return recordStatus(ctx, endpoints.endpoints(), required, actual, written);
  }

  /**
   * The zone's records as far as this run can tell without a read of its own: what the endpoints'
   * zone groups reported in this run when every endpoint in the zone has just been linked, else the
   * shared listing of the zone.
   */
  private Map<String, List<String>> observe(StoreContext ctx, Zone zone, DnsPort dns) {
    Map<String, List<String>> reported = new HashMap<>();
    for (DesiredStore.Endpoint endpoint : ctx.desired.endpoints()) {
      if (!endpoint.zoneId().equalsIgnoreCase(zone.key())) {
        continue;
      }
      Map<String, List<String>> records =
          ctx.findings().endpoints().zoneGroupRecords().get(endpoint.name());
      if (records == null) {
        DesiredStore.Endpoint at = zone.at();
        return snapshots.records(
            listing(ctx, zone),
            next -> dns.aRecordsPage(at.zoneResourceGroup(), at.zoneName(), next));
      }
      records.forEach(
          (name, ips) ->
              reported.merge(
                  name,
                  ips,
                  (a, b) -> Stream.concat(a.stream(), b.stream()).distinct().sorted().toList()));
    }
    return reported;
  }

  /**
   * What writing one record came to: {@code wrote} false when reading it showed it right already;
   * {@code owner} set when it belongs to another store and was left alone.
   */
  private record Write(boolean wrote, Ownership.Mark owner) {}

  /**
   * Writes the record, marked, unless reading it shows it is right already (what was seen may be
   * older than the zone) or another store's mark is on it.
   */
  private Write write(StoreContext ctx, Zone zone, DnsPort dns, String name, List<String> ips) {
    DesiredStore.Endpoint at = zone.at();
    Optional<RecordSet> have = dns.aRecord(at.zoneResourceGroup(), at.zoneName(), name);
    if (have.isPresent() && have.get().addresses().equals(ips)) {
      snapshots.update(listing(ctx, zone), name, ips);
      return new Write(false, null);
    }
    Map<String, String> metadata = have.map(RecordSet::metadata).orElse(null);
    Ownership.Claim claim = Ownership.claimRecord(ctx, metadata);
    if (claim instanceof Ownership.Claim.Foreign foreign) {
      return new Write(false, foreign.owner());
    }
    Map<String, String> marked =
        claim instanceof Ownership.Claim.MarkAs mark
            ? Ownership.marked(
                metadata == null ? Map.of() : metadata, Ownership.mark(ctx, mark.how()))
            : metadata;
    dns.putARecord(
        at.zoneResourceGroup(),
        at.zoneName(),
        name,
        ips,
        have.map(RecordSet::ttl).orElse(RecordSet.CREATED_TTL),
        marked,
        have.map(RecordSet::etag).orElse(null));
    if (claim instanceof Ownership.Claim.MarkAs mark && mark.how() == Ownership.How.adopted) {
      HaltPoints.reached("adopted-marked");
    }
    snapshots.update(listing(ctx, zone), name, ips);
    return new Write(true, null);
  }

  /** A zone's shared listing is shared only by stores acting with the same identity. */
  private static String listing(StoreContext ctx, Zone zone) {
    return zone.key() + "|" + ctx.identity;
  }

  /** Desired records per zone: record name -> addresses of every endpoint in that zone. */
  private static List<Zone> wanted(
      DesiredStore d, Findings.Endpoints endpoints, List<String> required) {
    Map<String, Zone> zones = new LinkedHashMap<>();
    for (DesiredStore.Endpoint endpoint : d.endpoints()) {
      String key = endpoint.zoneId().toLowerCase(Locale.ROOT);
      Zone zone = zones.computeIfAbsent(key, k -> new Zone(k, endpoint, new LinkedHashMap<>()));
      Map<String, List<String>> published =
          endpoints.published().getOrDefault(endpoint.name(), Map.of());
      for (String fqdn : required) {
        zone.wanted()
            .computeIfAbsent(DesiredStore.recordName(fqdn), k -> new TreeSet<>())
            .addAll(published.getOrDefault(fqdn, List.of()));
      }
    }
    return List.copyOf(zones.values());
  }

  /** Each endpoint's status with the records found in its zone; Done when every name resolves. */
  private static StepResult recordStatus(
      StoreContext ctx,
      List<PrivateEndpointStatus> endpoints,
      List<String> required,
      Map<String, List<String>> actual,
      int written) {
    DesiredStore d = ctx.desired;
    boolean complete = true;
    List<PrivateEndpointStatus> withRecords = new ArrayList<>();
    for (PrivateEndpointStatus status : endpoints) {
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
    if (!complete) {
      return report(
          ctx,
          withRecords,
          new Fact.Stop(
              Fact.isFalse(
                  "RecordsIncomplete", "Some endpoints have no address for a required name yet."),
              new StepResult.Progressing(
                  WRITING,
                  "Waiting for private endpoint addresses for every region.",
                  Backoff.DEFAULT_POLL)));
    }
    return report(
        ctx,
        withRecords,
        new Fact.Stop(
            Fact.isTrue(
                "RecordsComplete",
                required.size()
                    + " names resolve privately through "
                    + d.endpoints().size()
                    + " endpoint(s)"
                    + (written > 0 ? "; " + written + " record(s) written." : ".")),
            StepResult.done()));
  }

  private static Fact.Stop ownedByAnother(Zone zone, String name, Ownership.Mark owner) {
    String message =
        "The record "
            + name
            + " in private DNS zone "
            + zone.at().zoneId()
            + " belongs to the ArtifactStore "
            + owner.owner()
            + " (metadata "
            + Ownership.TAG
            + "); this store leaves it alone. Remove that metadata if the record is this store's.";
    return new Fact.Stop(
        Fact.isFalse("OwnedByAnotherStore", message),
        new StepResult.Stalled("OwnedByAnotherStore", message));
  }

  private static Fact.Stop zoneNotFound(DesiredStore.Endpoint at) {
    return new Fact.Stop(
        Fact.isFalse("ZoneNotFound", "Private DNS zone " + at.zoneId() + " does not exist."),
        new StepResult.Stalled(
            "InvalidSpec",
            "Private DNS zone "
                + at.zoneId()
                + " (private endpoint "
                + at.name()
                + ") does not exist; create it and link it to the endpoint's virtual network, or"
                + " fix spec.privateEndpoints[].privateDnsZoneId."));
  }

  /** Records the endpoints' statuses and the fact (null: the endpoint step's stands). */
  private static StepResult report(
      StoreContext ctx, List<PrivateEndpointStatus> endpoints, Fact.Stop stop) {
    ctx.found(new Findings.Records(stop.fact(), List.copyOf(endpoints)));
    return stop.result();
  }
}
