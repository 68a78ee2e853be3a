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
      Optional<PrivateEndpointInner> found =
          ctx.ports.network().privateEndpoint(endpoint.resourceGroup(), endpoint.name());
      if (found.isEmpty()) {
        Started started = put(ctx, endpoint);
        ctx.endpoints.add(new PrivateEndpointStatus(endpoint.name(), null, "Creating", List.of()));
        ctx.dnsFact =
            Fact.isFalse("EndpointMissing", "Creating private endpoint " + endpoint.name() + ".");
        return new StepResult.Progressing(
            CREATING,
            "Creating private endpoint "
                + endpoint.name()
                + " in subnet "
                + endpoint.subnetId()
                + ".",
            Backoff.poll(started.retryAfter()));
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
    boolean justCreated = before != null && "Creating".equals(before.getProvisioningState());
    Optional<PrivateDnsZoneGroupInner> group =
        justCreated
            ? Optional.empty()
            : ctx.ports.network().zoneGroup(endpoint.resourceGroup(), endpoint.name(), ZONE_GROUP);
    String state =
        group
            .map(g -> g.provisioningState() == null ? "Unknown" : g.provisioningState().toString())
            .orElse("Missing");
    if (state.equals("Missing") || state.equals("Failed")) {
      Started started =
          ctx.ports
              .network()
              .putZoneGroup(
                  endpoint.resourceGroup(), endpoint.name(), ZONE_GROUP, endpoint.zoneId());
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
