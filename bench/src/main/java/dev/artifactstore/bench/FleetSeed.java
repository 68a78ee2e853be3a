package dev.artifactstore.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.cli.AzureOptions;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.simulator.Simulator;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A fleet already built: each store's registry, replica, private endpoint and DNS zone group put
 * straight into the simulator's state, through its resource providers and in the requests the
 * operator sends (the same bodies, its mark {@code created} in each), their operations ended at
 * once. An operator started on it has nothing left to write; the bench checks that it writes
 * nothing, which holds only while these requests are the operator's.
 */
final class FleetSeed {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String REGISTRY_API = "?api-version=2025-11-01";
  private static final String NETWORK_API = "?api-version=2025-03-01";
  private static final String MARK = "artifactstoreowner";
  private static final RegionTable REGIONS = RegionTable.defaults();

  private FleetSeed() {}

  static void seed(
      Simulator simulator,
      List<StoreMix.Type> kinds,
      Subscriptions subscriptions,
      String cluster,
      PrintStream out) {
    Instant started = Instant.now();
    List<ArtifactStore> stores = new java.util.ArrayList<>();
    for (int i = 1; i <= kinds.size(); i++) {
      stores.add(
          StoreMix.store(
              Bench.NAMESPACE,
              "",
              i,
              kinds.get(i - 1),
              subscriptions.forStore(i),
              PlatformSeed.SUBNET));
    }
    // Every store's registry and replica first, then the endpoints: each store still gets them in
    // the operator's order, and adding a replica, which asks each endpoint of the whole estate
    // whether it targets the registry, finds no endpoint yet.
    for (int i = 0; i < stores.size(); i++) {
      seedRegistry(simulator, stores.get(i), kinds.get(i), cluster);
    }
    for (ArtifactStore store : stores) {
      seedEndpoints(simulator, store, cluster);
    }
    out.printf(
        Locale.ROOT,
        "seeded %d built stores into the simulator in %.1f s%n",
        kinds.size(),
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
  }

  private static String markOf(ArtifactStore store, String cluster) {
    return String.join(
        "/", cluster, store.getMetadata().getNamespace(), store.getMetadata().getName());
  }

  private static String registryIdOf(ArtifactStore store) {
    var spec = store.getSpec();
    return "/subscriptions/"
        + spec.getSubscriptionId()
        + "/resourceGroups/"
        + spec.getResourceGroup()
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + spec.getRegistryName();
  }

  private static void seedRegistry(
      Simulator simulator, ArtifactStore store, StoreMix.Type kind, String cluster) {
    var spec = store.getSpec();
    String mark = markOf(store, cluster);
    String registryId = registryIdOf(store);
    String region = RegionTable.normalise(spec.getLocation());

    ObjectNode registry = resource(region, mark);
    registry.putObject("sku").put("name", "Premium");
    registry
        .putObject("properties")
        .put("adminUserEnabled", false)
        .put("zoneRedundancy", REGIONS.hasZones(region) ? "Enabled" : "Disabled");
    put(simulator, registryId + REGISTRY_API, registry);

    if (kind != StoreMix.Type.SINGLE) {
      String paired = REGIONS.pairOf(region).orElseThrow();
      ObjectNode replica = resource(paired, mark);
      replica
          .putObject("properties")
          .put("regionEndpointEnabled", true)
          .put("zoneRedundancy", REGIONS.hasZones(paired) ? "Enabled" : "Disabled");
      put(simulator, registryId + "/replications/" + paired + REGISTRY_API, replica);
    }
  }

  private static void seedEndpoints(Simulator simulator, ArtifactStore store, String cluster) {
    var spec = store.getSpec();
    if (spec.getPrivateEndpoints() != null) {
      for (PrivateEndpointSpec endpoint : spec.getPrivateEndpoints()) {
        seedEndpoint(
            simulator,
            endpoint,
            spec.getSubscriptionId(),
            registryIdOf(store),
            markOf(store, cluster));
      }
    }
  }

  private static void seedEndpoint(
      Simulator simulator,
      PrivateEndpointSpec spec,
      String subscription,
      String registryId,
      String mark) {
    String id =
        "/subscriptions/"
            + subscription
            + "/resourceGroups/"
            + spec.getResourceGroup()
            + "/providers/Microsoft.Network/privateEndpoints/"
            + spec.getName();
    String network = spec.getSubnetId().substring(0, spec.getSubnetId().indexOf("/subnets/"));
    String region = simulator.resource(network).path("location").asText();

    ObjectNode endpoint = resource(region, mark);
    ObjectNode connection = JSON.objectNode().put("name", spec.getName());
    connection
        .putObject("properties")
        .put("privateLinkServiceId", registryId)
        .putArray("groupIds")
        .add("registry");
    ObjectNode properties = endpoint.putObject("properties");
    properties.putObject("subnet").put("id", spec.getSubnetId());
    properties.put("customNetworkInterfaceName", spec.getName() + "-nic");
    properties.putArray("privateLinkServiceConnections").add(connection);
    put(simulator, id + NETWORK_API, endpoint);

    String zoneId = spec.getPrivateDnsZoneId();
    String zoneName = zoneId.substring(zoneId.lastIndexOf('/') + 1);
    ObjectNode zone = JSON.objectNode().put("name", zoneName.replace('.', '-'));
    zone.putObject("properties").put("privateDnsZoneId", zoneId);
    ObjectNode group = JSON.objectNode();
    ArrayNode configs = group.putObject("properties").putArray("privateDnsZoneConfigs");
    configs.add(zone);
    put(simulator, id + "/privateDnsZoneGroups/default" + NETWORK_API, group);
  }

  /** A resource's location and tags, with this store's mark {@code created}. */
  private static ObjectNode resource(String region, String mark) {
    ObjectNode resource = JSON.objectNode().put("location", region);
    resource.putObject("tags").put(MARK, mark + "/created");
    return resource;
  }

  private static void put(Simulator simulator, String pathAndQuery, ObjectNode body) {
    int status =
        simulator.seed(AzureOptions.DEFAULT_SIMULATOR_CLIENT, "PUT", pathAndQuery, body).status();
    if (status >= 300) {
      throw new IllegalStateException("seeding " + pathAndQuery + " answered " + status);
    }
  }
}
