package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.ReplicationStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The spec after validation: regions normalised, defaults applied, ids taken apart. */
public record DesiredStore(
    String subscription,
    String resourceGroup,
    String region,
    String registryName,
    ReplicationStrategy strategy,
    String replicaRegion,
    boolean primaryZoneRedundant,
    boolean replicaZoneRedundant,
    List<Endpoint> endpoints,
    DeletionPolicy deletionPolicy) {

  /**
   * A private endpoint and the zone its records go to. The endpoint lives in its subnet's virtual
   * network: that network's subscription ({@code subscription}) and region.
   */
  public record Endpoint(
      String name,
      String subscription,
      String resourceGroup,
      String subnetId,
      String zoneId,
      String zoneSubscription,
      String zoneResourceGroup,
      String zoneName) {

    /** The ARM id of the endpoint. */
    public String id() {
      return "/subscriptions/"
          + subscription
          + "/resourceGroups/"
          + resourceGroup
          + "/providers/Microsoft.Network/privateEndpoints/"
          + name;
    }

    /** The ARM id of the subnet's virtual network. */
    public String networkId() {
      return subnetId.substring(0, subnetId.toLowerCase(Locale.ROOT).indexOf("/subnets/"));
    }
  }

  public String registryId() {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + registryName;
  }

  public String replicaId() {
    return registryId() + "/replications/" + replicaRegion;
  }

  public String loginServer() {
    return registryName.toLowerCase(Locale.ROOT) + ".azurecr.io";
  }

  public boolean geo() {
    return strategy == ReplicationStrategy.GeoReplication;
  }

  /** The regions whose data endpoints clients resolve: the primary, then the replica. */
  public List<String> regions(boolean replicaReady) {
    List<String> regions = new ArrayList<>(List.of(region));
    if (geo() && replicaReady) {
      regions.add(replicaRegion);
    }
    return regions;
  }

  public String dataEndpoint(String inRegion) {
    return registryName.toLowerCase(Locale.ROOT) + "." + inRegion + ".data.azurecr.io";
  }

  /** Record name in privatelink.azurecr.io for a public FQDN: "reg" or "reg.eastus.data". */
  public static String recordName(String fqdn) {
    return fqdn.toLowerCase(Locale.ROOT).replaceFirst("\\.azurecr\\.io$", "");
  }
}
