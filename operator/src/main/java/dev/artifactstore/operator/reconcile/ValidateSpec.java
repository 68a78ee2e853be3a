package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ApiPatterns;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.api.StoreType;
import dev.artifactstore.operator.regions.RegionTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Step 1: the spec is complete and possible. Admission may have been bypassed, so every rule of the
 * CRD is checked again, plus what only the operator knows: the pair table, the zone table and the
 * strategy already applied.
 */
final class ValidateSpec implements Step {
  private static final Pattern GUID = Pattern.compile(ApiPatterns.GUID);
  private static final Pattern RESOURCE_GROUP = Pattern.compile(ApiPatterns.RESOURCE_GROUP);
  private static final Pattern REGISTRY_NAME = Pattern.compile(ApiPatterns.REGISTRY_NAME);
  private static final Pattern LOCATION = Pattern.compile(ApiPatterns.LOCATION);
  private static final Pattern ENDPOINT_NAME = Pattern.compile(ApiPatterns.PRIVATE_ENDPOINT_NAME);
  private static final Pattern SUBNET_ID = Pattern.compile(ApiPatterns.SUBNET_ID);
  private static final Pattern ZONE_ID = Pattern.compile(ApiPatterns.PRIVATE_DNS_ZONE_ID);

  private static final Pattern SECRET_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  private static final int MAX_ENDPOINTS = 16;
  private static final int MAX_PROBLEMS = 5;

  private final RegionTable regions;

  ValidateSpec(RegionTable regions) {
    this.regions = regions;
  }

  @Override
  public StepResult run(StoreContext ctx) {
    ArtifactStoreSpec spec = ctx.store.getSpec();
    if (spec == null) {
      return invalid(
          "spec is missing: set spec.subscriptionId, resourceGroup, location and registryName.");
    }
    List<String> problems = new ArrayList<>();
    check(
        problems,
        spec.getSubscriptionId(),
        GUID,
        "spec.subscriptionId",
        "a GUID such as 00000000-0000-0000-0000-000000000001");
    check(
        problems,
        spec.getResourceGroup(),
        RESOURCE_GROUP,
        "spec.resourceGroup",
        "1-90 letters, digits, '-_.()', not ending with '.'");
    check(
        problems,
        spec.getLocation(),
        LOCATION,
        "spec.location",
        "an Azure region such as eastus or 'East US'");
    check(
        problems,
        spec.getRegistryName(),
        REGISTRY_NAME,
        "spec.registryName",
        "5-50 letters and digits");
    if (spec.getStoreType() != null && spec.getStoreType() != StoreType.AzureContainerRegistry) {
      problems.add("spec.storeType must be AzureContainerRegistry");
    }
    List<PrivateEndpointSpec> endpoints =
        spec.getPrivateEndpoints() == null ? List.of() : spec.getPrivateEndpoints();
    if (endpoints.size() > MAX_ENDPOINTS) {
      problems.add(
          "spec.privateEndpoints has "
              + endpoints.size()
              + " entries; at most "
              + MAX_ENDPOINTS
              + " are allowed");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      PrivateEndpointSpec e = endpoints.get(i);
      String at = "spec.privateEndpoints[" + i + "]";
      if (e == null) {
        problems.add(at + " is empty");
        continue;
      }
      check(problems, e.getName(), ENDPOINT_NAME, at + ".name", "1-80 letters, digits, '-_.'");
      if (e.getName() != null && !names.add(e.getName())) {
        problems.add(
            at + ".name '" + e.getName() + "' is used twice; endpoint names must be unique");
      }
      if (e.getResourceGroup() != null) {
        check(
            problems,
            e.getResourceGroup(),
            RESOURCE_GROUP,
            at + ".resourceGroup",
            "a resource group name");
      }
      check(
          problems,
          e.getSubnetId(),
          SUBNET_ID,
          at + ".subnetId",
          "/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}");
      check(
          problems,
          e.getPrivateDnsZoneId(),
          ZONE_ID,
          at + ".privateDnsZoneId",
          "the ARM id of a privatelink.azurecr.io private DNS zone");
    }
    if (spec.getCredentialsSecretRef() != null) {
      check(
          problems,
          spec.getCredentialsSecretRef().getName(),
          SECRET_NAME,
          "spec.credentialsSecretRef.name",
          "the name of a Secret in this namespace");
    }
    if (!problems.isEmpty()) {
      // Bounded, so a hostile spec cannot blow up the status: the first few problems name fields.
      List<String> shown =
          problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems;
      String more =
          problems.size() > MAX_PROBLEMS
              ? "; and " + (problems.size() - MAX_PROBLEMS) + " more"
              : "";
      return invalid(
          String.join("; ", shown) + more + ". Fix the manifest; nothing was changed in Azure.");
    }

    String region = RegionTable.normalise(spec.getLocation());
    ReplicationStrategy strategy =
        spec.getReplicationStrategy() == null
            ? ReplicationStrategy.SingleReplication
            : spec.getReplicationStrategy();
    if (ctx.previous.getReplicationStrategy() == ReplicationStrategy.GeoReplication
        && strategy == ReplicationStrategy.SingleReplication) {
      return new StepResult.Stalled(
          "DowngradeNotSupported",
          "spec.replicationStrategy is SingleReplication but this store is already geo-replicated; geo-replication"
              + " is one way and the replica was left in place. Set replicationStrategy back to GeoReplication.");
    }
    String replicaRegion = null;
    if (strategy == ReplicationStrategy.GeoReplication) {
      replicaRegion = regions.pairOf(region).orElse(null);
      if (replicaRegion == null) {
        return new StepResult.Stalled(
            "UnsupportedRegion",
            "GeoReplication is not available for primary region '"
                + region
                + "': supported primaries are "
                + String.join(", ", new TreeSet<>(regions.pairs().keySet()))
                + ". Use SingleReplication or one of those regions; nothing was changed in Azure.");
      }
    }
    List<DesiredStore.Endpoint> desiredEndpoints = new ArrayList<>();
    String subscription = spec.getSubscriptionId().toLowerCase(Locale.ROOT);
    for (int i = 0; i < endpoints.size(); i++) {
      PrivateEndpointSpec e = endpoints.get(i);
      String[] zone = e.getPrivateDnsZoneId().split("/");
      String network = e.getSubnetId().split("/")[2].toLowerCase(Locale.ROOT);
      if (!network.equals(subscription) && e.getResourceGroup() == null) {
        return invalid(
            "spec.privateEndpoints["
                + i
                + "].resourceGroup is required: the subnet is in subscription "
                + network
                + ", not spec.subscriptionId, and the endpoint is created in its network's"
                + " subscription. Name a resource group there; nothing was changed in Azure.");
      }
      desiredEndpoints.add(
          new DesiredStore.Endpoint(
              e.getName(),
              network,
              e.getResourceGroup() == null ? spec.getResourceGroup() : e.getResourceGroup(),
              e.getSubnetId(),
              e.getPrivateDnsZoneId(),
              zone[2],
              zone[4],
              zone[8]));
    }
    ctx.desired =
        new DesiredStore(
            subscription,
            spec.getResourceGroup(),
            region,
            spec.getRegistryName(),
            strategy,
            replicaRegion,
            regions.hasZones(region),
            replicaRegion != null && regions.hasZones(replicaRegion),
            desiredEndpoints,
            spec.getDeletionPolicy() == null ? DeletionPolicy.Retain : spec.getDeletionPolicy());
    return StepResult.done();
  }

  private static void check(
      List<String> problems, String value, Pattern pattern, String field, String expected) {
    if (value == null || value.isEmpty()) {
      problems.add(field + " is required (" + expected + ")");
    } else if (!pattern.matcher(value).matches()) {
      problems.add(field + " '" + abbreviate(value) + "' is invalid: expected " + expected);
    }
  }

  private static String abbreviate(String value) {
    String printable = value.replaceAll("[\\p{Cntrl}]", "?");
    return printable.length() > 80 ? printable.substring(0, 77) + "..." : printable;
  }

  private static StepResult invalid(String message) {
    return new StepResult.Stalled("InvalidSpec", message);
  }
}
