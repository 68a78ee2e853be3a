package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.NetworkPort;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step 4: every private endpoint exists and publishes every region's data endpoint. Azure does not
 * add a new replica's data endpoint to existing endpoints by itself; writing the endpoint again
 * does. Endpoints are often made by someone else (portal, CLI): one is re-applied exactly as it was
 * read, and its DNS zone group is used whatever its name.
 */
final class ReapplyPrivateEndpoints {
  static final String CREATING = "CreatingPrivateEndpoint";
  static final String REAPPLYING = "ReapplyingPrivateEndpoint";
  static final String WAITING = "WaitingForPrivateEndpoint";
  static final String LINKING_ZONE = "LinkingPrivateDnsZone";

  /** Where the last run stopped when it had just created an endpoint, or linked it to its zone. */
  private static final Set<String> JUST_CREATED =
      ReconcileChain.with(ReconcileChain.BUDGET_WAITS, CREATING);

  private static final Set<String> JUST_LINKED =
      ReconcileChain.with(ReconcileChain.BUDGET_WAITS, LINKING_ZONE);

  /** The name of a zone group the operator creates on an endpoint that has none (the portal's). */
  static final String NEW_ZONE_GROUP = "default";

  private final ConnectionApprovals approvals = new ConnectionApprovals();

  /** Azure's limit on zones in one zone group. */
  private static final int MAX_ZONES = 5;

  StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    ctx.endpointsObserved = true;
    if (d.endpoints().isEmpty()) {
      ctx.dnsFact = Fact.isTrue("NotConfigured", "The store has no private endpoints.");
      return StepResult.done();
    }
    List<String> required = new ArrayList<>();
    required.add(d.loginServer());
    d.regions(ctx.replicaReady).forEach(r -> required.add(d.dataEndpoint(r)));

    for (DesiredStore.Endpoint endpoint : d.endpoints()) {
      StepResult queued = queued(ctx, endpoint);
      if (queued != null) {
        return queued;
      }
      if (linked(ctx, endpoint, required)) {
        continue;
      }
      Optional<PrivateEndpoint> found =
          network(ctx, endpoint).privateEndpoint(endpoint.resourceGroup(), endpoint.name());
      if (found.isEmpty()) {
        return create(ctx, endpoint);
      }
      PrivateEndpoint pe = found.get();
      String state = pe.provisioningState();
      ctx.endpoints.add(new PrivateEndpointStatus(endpoint.name(), pe.id(), state, List.of()));
      if (state.equals("Failed")) {
        Started retried = network(ctx, endpoint).reapply(pe);
        ctx.dnsFact =
            Fact.isFalse(
                "EndpointFailed",
                "Private endpoint " + endpoint.name() + " is Failed; writing it again.");
        return new StepResult.Progressing(
            REAPPLYING,
            "Private endpoint " + endpoint.name() + " is Failed in Azure; writing it again.",
            Backoff.poll(retried.retryAfter()));
      }
      if (!state.equals("Succeeded")) {
        ctx.dnsFact =
            Fact.isFalse(
                "EndpointProvisioning",
                "Private endpoint " + endpoint.name() + " is " + state + ".");
        return new StepResult.Progressing(
            WAITING,
            "Waiting for private endpoint " + endpoint.name() + " (" + state + ").",
            Backoff.DEFAULT_POLL);
      }
      List<String> missing = required.stream().filter(f -> !pe.dns().containsKey(f)).toList();
      if (!missing.isEmpty()) {
        Started reapplied = network(ctx, endpoint).reapply(pe);
        String why = "it lacks " + String.join(", ", missing);
        ctx.dnsFact =
            Fact.isFalse(
                "EndpointIncomplete",
                "Private endpoint " + endpoint.name() + " was incomplete: " + why + ".");
        return new StepResult.Progressing(
            REAPPLYING,
            "Re-applying private endpoint "
                + endpoint.name()
                + " as it is because "
                + why
                + "; Azure does not do it when a region is added.",
            Backoff.poll(reapplied.retryAfter()));
      }
      if (pe.connectionPending()) {
        return approvals.approve(ctx, endpoint, pe);
      }
      StepResult linking = ensureZoneGroup(ctx, endpoint);
      if (linking != null) {
        return linking;
      }
      ctx.endpointDns.put(endpoint.name(), pe.dns());
    }
    return StepResult.done();
  }

  /** An endpoint's network port: the endpoint lives in its virtual network's subscription. */
  private static NetworkPort network(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    return ctx.portsFor.apply(endpoint.subscription()).network();
  }

  /**
   * The zone group makes Azure write the endpoint's records itself, and it reports what it wrote.
   * Checked only until the endpoint was first seen complete, so the steady state costs no read for
   * it. Null when the group is in place; otherwise why the chain stops here.
   */
  private static StepResult ensureZoneGroup(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (before != null
        && "Succeeded".equals(before.getProvisioningState())
        && !before.getDnsRecords().isEmpty()) {
      return null;
    }
    // An endpoint this operator created a moment ago has no zone group yet.
    boolean justCreated =
        before != null
            && "Creating".equals(before.getProvisioningState())
            && ctx.lastStoppedAt(JUST_CREATED);
    Optional<ZoneGroup> group =
        justCreated
            ? Optional.empty()
            : network(ctx, endpoint).zoneGroup(endpoint.resourceGroup(), endpoint.name());
    if (group.isEmpty()
        || group.get().provisioningState().equals("Failed")
        || (!group.get().hasZone(endpoint.zoneId())
            && group.get().provisioningState().equals("Succeeded"))) {
      return link(ctx, endpoint, group);
    }
    String state = group.get().provisioningState();
    if (!state.equals("Succeeded") || !group.get().hasZone(endpoint.zoneId())) {
      ctx.dnsFact =
          Fact.isFalse(
              "LinkingZone",
              "The DNS zone group of private endpoint " + endpoint.name() + " is " + state + ".");
      return new StepResult.Progressing(
          LINKING_ZONE,
          "Waiting for the DNS zone group of private endpoint "
              + endpoint.name()
              + " ("
              + state
              + ").",
          Backoff.DEFAULT_POLL);
    }
    ctx.zoneGroupRecords.put(endpoint.name(), reported(group.get(), endpoint));
    return null;
  }

  /**
   * Right after the endpoint's zone group was written, its report says which records Azure wrote
   * from the endpoint, and with which addresses: when it covers every required name, that is the
   * endpoint's DNS as of a moment ago and the endpoint need not be read again (the next resync
   * reads it). False when the shortcut does not apply and the endpoint is to be observed.
   */
  private static boolean linked(
      StoreContext ctx, DesiredStore.Endpoint endpoint, List<String> required) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (before == null
        || !"Succeeded".equals(before.getProvisioningState())
        || !before.getDnsRecords().isEmpty()
        || !ctx.lastStoppedAt(JUST_LINKED)) {
      return false;
    }
    Optional<ZoneGroup> group =
        network(ctx, endpoint).zoneGroup(endpoint.resourceGroup(), endpoint.name());
    if (group.isEmpty()
        || !"Succeeded".equals(group.get().provisioningState())
        || !group.get().hasZone(endpoint.zoneId())) {
      return false;
    }
    Map<String, List<String>> report = reported(group.get(), endpoint);
    Map<String, List<String>> published = new LinkedHashMap<>();
    for (String fqdn : required) {
      List<String> ips = report.get(DesiredStore.recordName(fqdn));
      if (ips == null || ips.isEmpty()) {
        return false;
      }
      published.put(fqdn, ips);
    }
    ctx.endpoints.add(before);
    ctx.zoneGroupRecords.put(endpoint.name(), report);
    ctx.endpointDns.put(endpoint.name(), published);
    return true;
  }

  /**
   * Writes the endpoint's DNS zone group with the store's zone in it, keeping the zones it has;
   * Azure then writes the endpoint's records. A group is created only on an endpoint without one:
   * Azure allows one per endpoint.
   */
  private static StepResult link(
      StoreContext ctx, DesiredStore.Endpoint endpoint, Optional<ZoneGroup> group) {
    List<ZoneGroup.Zone> zones = new ArrayList<>(group.map(ZoneGroup::zones).orElse(List.of()));
    if (!group.map(g -> g.hasZone(endpoint.zoneId())).orElse(false)) {
      if (zones.size() >= MAX_ZONES) {
        ctx.dnsFact =
            Fact.isFalse(
                "ZoneGroupFull",
                "The DNS zone group of private endpoint " + endpoint.name() + " is full.");
        return new StepResult.Stalled(
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
                + " spec.privateEndpoints[].privateDnsZoneId.");
      }
      zones.add(new ZoneGroup.Zone(configName(endpoint, zones), endpoint.zoneId()));
    }
    String name = group.map(ZoneGroup::name).orElse(NEW_ZONE_GROUP);
    Started started =
        network(ctx, endpoint).putZoneGroup(endpoint.resourceGroup(), endpoint.name(), name, zones);
    ctx.dnsFact =
        Fact.isFalse(
            "LinkingZone",
            "Linking private endpoint "
                + endpoint.name()
                + " to zone "
                + endpoint.zoneName()
                + "; Azure writes its records.");
    return new StepResult.Progressing(
        LINKING_ZONE,
        "Linking private endpoint "
            + endpoint.name()
            + " to private DNS zone "
            + endpoint.zoneName()
            + " in its zone group "
            + name
            + "; Azure writes the endpoint's records when it finishes.",
        Backoff.poll(started.retryAfter()));
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

  /**
   * A write of this endpoint or of its zone group that the last run queued for the ARM budget goes
   * out now; null when there is none. A new endpoint, and a new endpoint's zone group, are written
   * without reading again; an existing endpoint is re-applied as it is read now, so the observation
   * below does it.
   */
  private static StepResult queued(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    String id = endpoint.id();
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (ctx.queuedWriteUnder(id + "/privateDnsZoneGroups/")) {
      // The run that queued it saw the endpoint Succeeded and complete.
      ctx.endpoints.add(
          new PrivateEndpointStatus(
              endpoint.name(),
              id,
              "Succeeded",
              before == null ? List.of() : before.getDnsRecords()));
      // An endpoint still recorded Creating was just made by this operator: it has no group, and
      // the write goes out without reading it. Any other endpoint's group is read, since the write
      // keeps the zones it has.
      boolean justCreated = before == null || "Creating".equals(before.getProvisioningState());
      return link(
          ctx,
          endpoint,
          justCreated
              ? Optional.empty()
              : network(ctx, endpoint).zoneGroup(endpoint.resourceGroup(), endpoint.name()));
    }
    if (ctx.queuedWrite(id)
        && (before == null || "Creating".equals(before.getProvisioningState()))) {
      return create(ctx, endpoint);
    }
    return null;
  }

  /** Creates the endpoint in its virtual network's region and subscription. */
  private static StepResult create(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    NetworkPort network = network(ctx, endpoint);
    Optional<String> region = network.regionOf(endpoint.networkId());
    if (region.isEmpty()) {
      ctx.dnsFact =
          Fact.isFalse(
              "NetworkNotFound",
              "The virtual network of private endpoint " + endpoint.name() + " does not exist.");
      return new StepResult.Stalled(
          "InvalidSpec",
          "Virtual network "
              + endpoint.networkId()
              + " (subnet of private endpoint "
              + endpoint.name()
              + ") does not exist; create it or fix spec.privateEndpoints[].subnetId.");
    }
    Started started =
        network.createPrivateEndpoint(
            endpoint.resourceGroup(),
            endpoint.name(),
            region.get(),
            endpoint.subnetId(),
            ctx.desired.registryId());
    ctx.endpoints.add(new PrivateEndpointStatus(endpoint.name(), null, "Creating", List.of()));
    ctx.dnsFact =
        Fact.isFalse("EndpointMissing", "Creating private endpoint " + endpoint.name() + ".");
    return new StepResult.Progressing(
        CREATING,
        "Creating private endpoint "
            + endpoint.name()
            + " in "
            + region.get()
            + ", subnet "
            + endpoint.subnetId()
            + ".",
        Backoff.poll(started.retryAfter()));
  }

  /** The records the zone group says it wrote into the endpoint's zone: name -> addresses. */
  private static Map<String, List<String>> reported(
      ZoneGroup group, DesiredStore.Endpoint endpoint) {
    return group
        .records()
        .getOrDefault(endpoint.zoneId().toLowerCase(java.util.Locale.ROOT), Map.of());
  }
}
