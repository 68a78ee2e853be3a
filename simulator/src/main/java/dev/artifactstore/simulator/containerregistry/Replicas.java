package dev.artifactstore.simulator.containerregistry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.state.Json;
import java.util.List;

/**
 * A registry's replicas as both the registry and its replications see them: a registry is created
 * with a replica in its home region, and every replica gives the registry a data endpoint.
 */
final class Replicas {
  private final ArmContext arm;

  Replicas(ArmContext arm) {
    this.arm = arm;
  }

  List<ObjectNode> of(String registryId) {
    return arm.store().children(registryId, "replications");
  }

  ObjectNode document(String registryId, String name, String region, String zoneRedundancy) {
    ObjectNode replica =
        ArmContext.resource(
            registryId + "/replications/" + name,
            name,
            ContainerRegistryApi.REPLICATION_TYPE,
            region);
    ObjectNode props = replica.putObject("properties");
    props.put("provisioningState", "Creating");
    ObjectNode status = props.putObject("status");
    status.put("displayStatus", "Provisioning");
    status.put("timestamp", arm.now());
    props.put("regionEndpointEnabled", true);
    props.put("zoneRedundancy", zoneRedundancy);
    return replica;
  }

  void markReady(ObjectNode replica) {
    ObjectNode props = Json.child(replica, "properties");
    props.put("provisioningState", "Succeeded");
    ObjectNode status = Json.child(props, "status");
    status.put("displayStatus", "Ready");
    status.put("timestamp", arm.now());
    arm.store().changed(replica);
  }

  void refreshDataEndpoints(ObjectNode registry) {
    ObjectNode props = Json.child(registry, "properties");
    ArrayNode hosts = props.putArray("dataEndpointHostNames");
    if (props.path("dataEndpointEnabled").asBoolean(false)) {
      addDataEndpoints(hosts, registry);
    }
  }

  void addDataEndpoints(ArrayNode hosts, ObjectNode registry) {
    for (ObjectNode replica : of(registry.get("id").asText())) {
      hosts.add(
          ContainerRegistryApi.dataEndpoint(
              registry.get("name").asText(), Json.text(replica, "/location")));
    }
  }
}
