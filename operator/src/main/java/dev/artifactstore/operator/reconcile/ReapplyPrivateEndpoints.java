package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.models.CustomDnsConfigPropertiesFormat;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.azure.resourcemanager.network.models.RecordSet;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.Started;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step 4: every private endpoint exists and publishes every region's data endpoint. Azure does not
 * add a new replica's data endpoint to existing endpoints by itself; writing the endpoint again
 * does.
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
  static final String ZONE_GROUP = "default";

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
      Optional<PrivateEndpointInner> found =
          ctx.ports.network().privateEndpoint(endpoint.resourceGroup(), endpoint.name());
      if (found.isEmpty()) {
        return create(ctx, endpoint);
      }
      PrivateEndpointInner pe = found.get();
      String state = pe.provisioningState() == null ? "Unknown" : pe.provisioningState().toString();
      ctx.endpoints.add(new PrivateEndpointStatus(endpoint.name(), pe.id(), state, List.of()));
      if (state.equals("Failed")) {
        Started retried = put(ctx, endpoint);
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
      Map<String, List<String>> published = new LinkedHashMap<>();
      if (pe.customDnsConfigs() != null) {
        for (CustomDnsConfigPropertiesFormat c : pe.customDnsConfigs()) {
          published.put(
              c.fqdn().toLowerCase(Locale.ROOT),
              c.ipAddresses() == null ? List.of() : c.ipAddresses());
        }
      }
      List<String> missing = required.stream().filter(f -> !published.containsKey(f)).toList();
      boolean pending = connectionPending(pe);
      if (!missing.isEmpty() || pending) {
        Started reapplied = put(ctx, endpoint);
        String why =
            missing.isEmpty()
                ? "its connection to the registry is pending"
                : "it lacks " + String.join(", ", missing);
        ctx.dnsFact =
            Fact.isFalse(
                "EndpointIncomplete",
                "Private endpoint " + endpoint.name() + " was incomplete: " + why + ".");
        return new StepResult.Progressing(
            REAPPLYING,
            "Re-applying private endpoint "
                + endpoint.name()
                + " because "
                + why
                + "; Azure does not do it when a region is added.",
            Backoff.poll(reapplied.retryAfter()));
      }
      StepResult linking = ensureZoneGroup(ctx, endpoint);
      if (linking != null) {
        return linking;
      }
      ctx.endpointDns.put(endpoint.name(), published);
    }
    return StepResult.done();
  }

  private static Started put(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    DesiredStore d = ctx.desired;
    return ctx.ports
        .network()
        .putPrivateEndpoint(
            endpoint.resourceGroup(),
            endpoint.name(),
            d.region(),
            endpoint.subnetId(),
            d.registryId());
  }

  private static boolean connectionPending(PrivateEndpointInner pe) {
    if (pe.privateLinkServiceConnections() == null) {
      return false;
    }
    for (PrivateLinkServiceConnection c : pe.privateLinkServiceConnections()) {
      if (c.privateLinkServiceConnectionState() != null
          && "Pending".equalsIgnoreCase(c.privateLinkServiceConnectionState().status())) {
        return true;
      }
    }
    return false;
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
    Optional<PrivateDnsZoneGroupInner> group =
        justCreated
            ? Optional.empty()
            : ctx.ports.network().zoneGroup(endpoint.resourceGroup(), endpoint.name(), ZONE_GROUP);
    String state =
        group
            .map(g -> g.provisioningState() == null ? "Unknown" : g.provisioningState().toString())
            .orElse("Missing");
    if (state.equals("Missing") || state.equals("Failed")) {
      return link(ctx, endpoint);
    }
    if (!state.equals("Succeeded")) {
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
    Optional<PrivateDnsZoneGroupInner> group =
        ctx.ports.network().zoneGroup(endpoint.resourceGroup(), endpoint.name(), ZONE_GROUP);
    if (group.isEmpty()
        || group.get().provisioningState() == null
        || !"Succeeded".equals(group.get().provisioningState().toString())) {
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

  /** Writes the endpoint's DNS zone group; Azure then writes the endpoint's records. */
  private static StepResult link(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    Started started =
        ctx.ports
            .network()
            .putZoneGroup(endpoint.resourceGroup(), endpoint.name(), ZONE_GROUP, endpoint.zoneId());
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
            + "; Azure writes the endpoint's records when it finishes.",
        Backoff.poll(started.retryAfter()));
  }

  /**
   * A write of this endpoint or of its zone group that the last run queued for the ARM budget goes
   * out now, without reading the endpoint again; null when there is none.
   */
  private static StepResult queued(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    String id = endpointId(ctx.desired, endpoint);
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    if (ctx.queuedWrite(id + "/privateDnsZoneGroups/" + ZONE_GROUP)) {
      // The run that queued it saw the endpoint Succeeded and complete.
      ctx.endpoints.add(
          new PrivateEndpointStatus(
              endpoint.name(),
              id,
              "Succeeded",
              before == null ? List.of() : before.getDnsRecords()));
      return link(ctx, endpoint);
    }
    if (!ctx.queuedWrite(id)) {
      return null;
    }
    if (before == null || "Creating".equals(before.getProvisioningState())) {
      return create(ctx, endpoint);
    }
    Started started = put(ctx, endpoint);
    // A re-applied endpoint keeps what was known of it, its records included.
    ctx.endpoints.add(before);
    ctx.dnsFact =
        Fact.isFalse("EndpointIncomplete", "Writing private endpoint " + endpoint.name() + ".");
    return new StepResult.Progressing(
        REAPPLYING,
        "Re-applying private endpoint "
            + endpoint.name()
            + " in subnet "
            + endpoint.subnetId()
            + ".",
        Backoff.poll(started.retryAfter()));
  }

  private static StepResult create(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    Started started = put(ctx, endpoint);
    ctx.endpoints.add(new PrivateEndpointStatus(endpoint.name(), null, "Creating", List.of()));
    ctx.dnsFact =
        Fact.isFalse("EndpointMissing", "Creating private endpoint " + endpoint.name() + ".");
    return new StepResult.Progressing(
        CREATING,
        "Creating private endpoint " + endpoint.name() + " in subnet " + endpoint.subnetId() + ".",
        Backoff.poll(started.retryAfter()));
  }

  static String endpointId(DesiredStore d, DesiredStore.Endpoint endpoint) {
    return "/subscriptions/"
        + d.subscription()
        + "/resourceGroups/"
        + endpoint.resourceGroup()
        + "/providers/Microsoft.Network/privateEndpoints/"
        + endpoint.name();
  }

  /** The records the zone group says it wrote into the endpoint's zone: name -> addresses. */
  private static Map<String, List<String>> reported(
      PrivateDnsZoneGroupInner group, DesiredStore.Endpoint endpoint) {
    Map<String, List<String>> records = new LinkedHashMap<>();
    if (group.privateDnsZoneConfigs() == null) {
      return records;
    }
    for (PrivateDnsZoneConfig config : group.privateDnsZoneConfigs()) {
      if (!endpoint.zoneId().equalsIgnoreCase(config.privateDnsZoneId())
          || config.recordSets() == null) {
        continue;
      }
      for (RecordSet set : config.recordSets()) {
        if ("A".equalsIgnoreCase(set.recordType()) && set.recordSetName() != null) {
          records.put(
              set.recordSetName().toLowerCase(Locale.ROOT),
              set.ipAddresses() == null ? List.of() : set.ipAddresses().stream().sorted().toList());
        }
      }
    }
    return records;
  }
}
