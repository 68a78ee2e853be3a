package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  record Linked(Map<String, List<String>> report, Map<String, List<String>> published) {}

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
   * Done when the endpoint's zone group holds the store's zone and has written its records. Checked
   * only until the endpoint was first seen complete, so the steady state costs no read.
   */
  StepResult ensure(StoreContext ctx, DesiredStore.Endpoint endpoint, EndpointsSeen found) {
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
      return found.stop(link(ctx, endpoint, group));
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
  Fact.Stop link(StoreContext ctx, DesiredStore.Endpoint endpoint, Optional<ZoneGroup> group) {
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
    Started started =
        ReapplyPrivateEndpoints.network(ctx, endpoint)
            .putZoneGroup(endpoint.resourceGroup(), endpoint.name(), name, zones);
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
