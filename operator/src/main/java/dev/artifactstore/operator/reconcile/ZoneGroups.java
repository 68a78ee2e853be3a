package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An endpoint's DNS zone group holds the store's zone: Azure then writes the endpoint's records
 * itself and reports what it wrote. A group is created only on an endpoint without one (Azure
 * allows one per endpoint, of any name); an existing one keeps its zones.
 */
final class ZoneGroups {
  static final String LINKING_ZONE = "LinkingPrivateDnsZone";

  /** The name of a zone group the operator creates on an endpoint that has none (the portal's). */
  static final String NEW_ZONE_GROUP = "default";

  /** Azure's limit on zones in one zone group. */
  private static final int MAX_ZONES = 5;

  /** Where the last run stopped when it had just created an endpoint, or linked it to its zone. */
  private static final Set<String> JUST_CREATED =
      Set.of(
          AwaitArmBudget.WAITING_FOR_BUDGET,
          AwaitArmBudget.QUEUED_FOR_BUDGET,
          ReapplyPrivateEndpoints.CREATING);

  private static final Set<String> JUST_LINKED =
      Set.of(AwaitArmBudget.WAITING_FOR_BUDGET, AwaitArmBudget.QUEUED_FOR_BUDGET, LINKING_ZONE);

  /**
   * What a zone group written a moment ago reports for an endpoint: the records Azure wrote from it
   * ({@code report}, name -> IPs) and so what the endpoint publishes ({@code published}, FQDN ->
   * IPs).
   */
  record Linked(
      Map<String, List<String>> report, Map<String, List<String>> published, Duration after) {
    Linked(Map<String, List<String>> report, Map<String, List<String>> published) {
      this(report, published, null);
    }

    /** No listing of the zone since the link yet: the next may begin {@code after} from now. */
    static Linked waiting(Duration after) {
      return new Linked(null, null, after);
    }
  }

  /**
   * A zone group this operator wrote: when its records are due, and what the endpoint publishes.
   */
  private record Link(Instant due, Map<String, List<String>> published) {}

  /** How often a listing of a zone may begin for stores waiting for their zone groups' records. */
  static final Duration SETTLE_EVERY = Duration.ofSeconds(20);

  /** How long a link is watched in the zone's listings before its zone group is read. */
  private static final Duration SETTLE_FOR = Duration.ofMinutes(10);

  /** The zones' shared listings; null: every link is checked by reading its zone group. */
  private final ZoneSnapshots snapshots;

  /** Zone groups written and not yet seen done, by lower-case endpoint id. In memory only. */
  private final Map<String, Link> links = new ConcurrentHashMap<>();

  /**
   * What an endpoint published when its zone group write was decided, by lower-case endpoint id,
   * for the write's return when the budget queued it.
   */
  private final Map<String, Map<String, List<String>>> linking = new ConcurrentHashMap<>();

  ZoneGroups(ZoneSnapshots snapshots) {
    this.snapshots = snapshots;
  }

  Optional<ZoneGroup> read(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    return ReapplyPrivateEndpoints.network(ctx, endpoint)
        .zoneGroup(endpoint.resourceGroup(), endpoint.name());
  }

  /**
   * Right after the endpoint's zone group was written, its report covers every required name: that
   * is the endpoint's DNS as of a moment ago, and the endpoint need not be read again (the next
   * resync reads it). Empty when the shortcut does not apply and the endpoint is to be observed.
   */
  Optional<Linked> justLinked(
      StoreContext ctx, DesiredStore.Endpoint endpoint, List<String> required) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (before == null
        || !"Succeeded".equals(before.getProvisioningState())
        || !before.getDnsRecords().isEmpty()
        || !ctx.lastStoppedAt(JUST_LINKED)) {
      return Optional.empty();
    }
    Optional<Linked> listed = listed(ctx, endpoint, required);
    if (listed.isPresent()) {
      return listed;
    }
    Optional<ZoneGroup> group = read(ctx, endpoint);
    if (group.isEmpty()
        || !"Succeeded".equals(group.get().provisioningState())
        || !group.get().hasZone(endpoint.zoneId())) {
      return Optional.empty();
    }
    Map<String, List<String>> report = reported(group.get(), endpoint);
    Map<String, List<String>> published = new LinkedHashMap<>();
    for (String fqdn : required) {
      List<String> ips = report.get(DesiredStore.recordName(fqdn));
      if (ips == null || ips.isEmpty()) {
        return Optional.empty();
      }
      published.put(fqdn, ips);
    }
    return Optional.of(new Linked(report, published));
  }

  /**
   * A zone group this operator wrote a moment ago is watched in the zone's shared listing, which
   * answers for every zone group linked before it began: linked when it shows each required record
   * with exactly the endpoint's addresses. Empty when it does not (the zone group is read), or when
   * this operator did not write the group.
   */
  private Optional<Linked> listed(
      StoreContext ctx, DesiredStore.Endpoint endpoint, List<String> required) {
    String id = endpoint.id().toLowerCase(Locale.ROOT);
    Link link = links.get(id);
    if (snapshots == null || link == null) {
      return Optional.empty();
    }
    if (link.due().plus(SETTLE_FOR).isBefore(ctx.now())) {
      links.remove(id);
      return Optional.empty();
    }
    DnsPort dns = ctx.portsFor.apply(endpoint.zoneSubscription()).dns();
    Listings.Settled<List<String>> settled;
    try {
      settled =
          snapshots.after(
              endpoint.zoneId().toLowerCase(Locale.ROOT) + "|" + ctx.identity,
              link.due(),
              SETTLE_EVERY,
              next -> dns.aRecordsPage(endpoint.zoneResourceGroup(), endpoint.zoneName(), next));
    } catch (AzureFailure e) {
      if (e.kind() != AzureFailure.Kind.NOT_FOUND && e.kind() != AzureFailure.Kind.AUTHORIZATION) {
        throw e;
      }
      links.remove(id);
      return Optional.empty();
    }
    if (settled.listed() == null) {
      return Optional.of(Linked.waiting(settled.after()));
    }
    links.remove(id);
    Map<String, List<String>> report = new LinkedHashMap<>();
    Map<String, List<String>> published = new LinkedHashMap<>();
    for (String fqdn : required) {
      String name = DesiredStore.recordName(fqdn);
      List<String> ips = link.published().get(fqdn);
      List<String> have = settled.listed().get(name);
      if (ips == null || ips.isEmpty() || have == null || !have.equals(sorted(ips))) {
        return Optional.empty();
      }
      report.put(name, have);
      published.put(fqdn, ips);
    }
    return Optional.of(new Linked(report, published));
  }

  private static List<String> sorted(List<String> ips) {
    return ips.stream().sorted().toList();
  }

  /** The operator deleted or released the endpoint: its link is not watched any more. */
  void forget(DesiredStore.Endpoint endpoint) {
    links.remove(endpoint.id().toLowerCase(Locale.ROOT));
    linking.remove(endpoint.id().toLowerCase(Locale.ROOT));
  }

  /**
   * Done when the endpoint's zone group holds the store's zone and has written its records. Checked
   * only until the endpoint was first seen complete, so the steady state costs no read.
   */
  StepResult ensure(
      StoreContext ctx,
      DesiredStore.Endpoint endpoint,
      Map<String, List<String>> published,
      EndpointsSeen found) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (before != null
        && "Succeeded".equals(before.getProvisioningState())
        && !before.getDnsRecords().isEmpty()) {
      return StepResult.done();
    }
    // An endpoint this operator created a moment ago has no zone group yet.
    boolean justCreated =
        before != null
            && "Creating".equals(before.getProvisioningState())
            && ctx.lastStoppedAt(JUST_CREATED);
    Optional<ZoneGroup> group = justCreated ? Optional.empty() : read(ctx, endpoint);
    String state = group.map(ZoneGroup::provisioningState).orElse("");
    boolean hasZone = group.map(g -> g.hasZone(endpoint.zoneId())).orElse(false);
    if (group.isEmpty() || state.equals("Failed") || (!hasZone && state.equals("Succeeded"))) {
      return found.stop(link(ctx, endpoint, group, published));
    }
    if (!state.equals("Succeeded") || !hasZone) {
      return found.stop(
          Fact.isFalse(
              "LinkingZone",
              "The DNS zone group of private endpoint " + endpoint.name() + " is " + state + "."),
          new StepResult.Progressing(
              LINKING_ZONE,
              "Waiting for the DNS zone group of private endpoint "
                  + endpoint.name()
                  + " ("
                  + state
                  + ").",
              Backoff.DEFAULT_POLL));
    }
    found.zoneGroupRecords(endpoint.name(), reported(group.get(), endpoint));
    return StepResult.done();
  }

  /** Writes the endpoint's DNS zone group with the store's zone in it, keeping the zones it has. */
  Fact.Stop link(
      StoreContext ctx,
      DesiredStore.Endpoint endpoint,
      Optional<ZoneGroup> group,
      Map<String, List<String>> published) {
    List<ZoneGroup.Zone> zones = new ArrayList<>(group.map(ZoneGroup::zones).orElse(List.of()));
    if (!group.map(g -> g.hasZone(endpoint.zoneId())).orElse(false)) {
      if (zones.size() >= MAX_ZONES) {
        return new Fact.Stop(
            Fact.isFalse(
                "ZoneGroupFull",
                "The DNS zone group of private endpoint " + endpoint.name() + " is full."),
            new StepResult.Stalled(
                "ZoneGroupFull",
                "The DNS zone group "
                    + group.get().name()
                    + " of private endpoint "
                    + endpoint.name()
                    + " already holds "
                    + MAX_ZONES
                    + " zones, Azure's limit, and not "
                    + endpoint.zoneId()
                    + ". Remove a zone from the group or name one of its zones in"
                    + " spec.privateEndpoints[].privateDnsZoneId."));
      }
      zones.add(new ZoneGroup.Zone(configName(endpoint, zones), endpoint.zoneId()));
    }
    String name = group.map(ZoneGroup::name).orElse(NEW_ZONE_GROUP);
    String id = endpoint.id().toLowerCase(Locale.ROOT);
    if (snapshots != null && published != null && !published.isEmpty()) {
      linking.put(id, Map.copyOf(published));
    }
    Started started =
        ReapplyPrivateEndpoints.network(ctx, endpoint)
            .putZoneGroup(endpoint.resourceGroup(), endpoint.name(), name, zones);
    Map<String, List<String>> dns = linking.remove(id);
    if (dns != null) {
      // Its records are looked for in the zone's listings from when Azure would answer a poll.
      Duration poll = started.retryAfter() == null ? Backoff.MIN_POLL : started.retryAfter();
      links.put(id, new Link(ctx.now().plus(poll), dns));
    }
    return new Fact.Stop(
        Fact.isFalse(
            "LinkingZone",
            "Linking private endpoint "
                + endpoint.name()
                + " to zone "
                + endpoint.zoneName()
                + "; Azure writes its records."),
        new StepResult.Progressing(
            LINKING_ZONE,
            "Linking private endpoint "
                + endpoint.name()
                + " to private DNS zone "
                + endpoint.zoneName()
                + " in its zone group "
                + name
                + "; Azure writes the endpoint's records when it finishes.",
            Backoff.poll(started.retryAfter())));
  }

  /** The portal names a zone's configuration after the zone: privatelink-azurecr-io. */
  private static String configName(DesiredStore.Endpoint endpoint, List<ZoneGroup.Zone> taken) {
    String base = endpoint.zoneName().replace('.', '-');
    String name = base;
    for (int i = 2; isTaken(name, taken); i++) {
      name = base + "-" + i;
    }
    return name;
  }

  private static boolean isTaken(String name, List<ZoneGroup.Zone> zones) {
    return zones.stream().anyMatch(z -> name.equalsIgnoreCase(z.name()));
  }

  /** The records the zone group says it wrote into the endpoint's zone: name -> addresses. */
  private static Map<String, List<String>> reported(
      ZoneGroup group, DesiredStore.Endpoint endpoint) {
    return group.records().getOrDefault(endpoint.zoneId().toLowerCase(Locale.ROOT), Map.of());
  }
}
