package dev.artifactstore.simulator.containerregistry;

import static dev.artifactstore.simulator.containerregistry.ContainerRegistryApi.NAMESPACE;
import static dev.artifactstore.simulator.containerregistry.ContainerRegistryApi.REPLICATION_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * A Premium registry's geo-replications: one per region besides the home region, whose replica
 * comes and goes with the registry. A region's replication deleted moments ago cannot be created
 * again until the cooldown has passed.
 */
final class ReplicationsApi {
  private final ArmContext arm;
  private final PrivateLinkHooks privateLink;
  private final Replicas replicas;
  private final Duration replicaCooldown;

  ReplicationsApi(
      ArmContext arm,
      Router router,
      PrivateLinkHooks privateLink,
      Replicas replicas,
      Duration replicaCooldown) {
    this.arm = arm;
    this.privateLink = privateLink;
    this.replicas = replicas;
    this.replicaCooldown = replicaCooldown;
    String registry = ContainerRegistryApi.GROUP_PATH + "/registries/{name}";
    router.add(
        registry + "/replications",
        Set.of("GET"),
        NAMESPACE,
        REPLICATION_TYPE,
        this::listReplications);
    router.add(
        registry + "/replications/{rep}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        REPLICATION_TYPE,
        this::replication);
    arm.operations().register("replication", new Completion());
  }

  private ArmResponse listReplications(ArmRequest request) {
    ObjectNode registry = ContainerRegistryApi.requireRegistry(arm, request);
    return ArmResponse.ok(ArmContext.list(replicas.of(registry.get("id").asText())));
  }

  private ArmResponse replication(ArmRequest request) {
    ObjectNode registry = ContainerRegistryApi.requireRegistry(arm, request);
    String registryId = registry.get("id").asText();
    String id = registryId + "/replications/" + request.var("rep");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(
              REPLICATION_TYPE, request.var("name") + "/" + request.var("rep"), request.var("rg"));
        }
        arm.requireRegionUp(Json.text(existing, "/location"));
        return ArmResponse.ok(existing);
      }
      case "PATCH" -> {
        if (existing == null) {
          throw ArmException.notFound(
              REPLICATION_TYPE, request.var("name") + "/" + request.var("rep"), request.var("rg"));
        }
        arm.requireRegionUp(Json.text(existing, "/location"));
        patchReplication(existing, request.bodyObject());
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        return putReplication(request, registry, existing, id);
      }
      case "DELETE" -> {
        return deleteReplication(request, registry, existing);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private void patchReplication(ObjectNode replica, ObjectNode body) {
    JsonNode requested = body.path("properties");
    ObjectNode props = Json.child(replica, "properties");
    ContainerRegistryApi.requireSameZoneRedundancy("replication", replica, requested);
    if (requested.has("regionEndpointEnabled")) {
      props.set("regionEndpointEnabled", requested.get("regionEndpointEnabled"));
    }
    if (body.has("tags")) {
      replica.set("tags", body.get("tags"));
    }
    arm.store().changed(replica);
  }

  private ArmResponse putReplication(
      ArmRequest request, ObjectNode registry, ObjectNode existing, String id) {
    ObjectNode body = request.bodyObject();
    String region = Regions.require(Json.text(body, "/location"), REPLICATION_TYPE);
    arm.requireRegionUp(region);
    String registryName = registry.get("name").asText();
    if (existing != null) {
      if (!region.equals(Json.text(existing, "/location"))) {
        throw ArmException.conflict(
            "InvalidResourceLocation",
            "Replication '"
                + existing.get("name").asText()
                + "' already exists in '"
                + Json.text(existing, "/location")
                + "'.");
      }
      String state = Json.text(existing, "/properties/provisioningState");
      if (!"Succeeded".equals(state) && !"Failed".equals(state)) {
        throw ArmException.conflict(
            "AnotherOperationInProgress",
            "Replication '" + existing.get("name").asText() + "' is " + state + ".");
      }
      patchReplication(existing, body);
      if ("Failed".equals(state)) {
        // Writing a failed replica again makes Azure retry its provisioning.
        return provisionReplica(request, registry, existing, id, region, 200);
      }
      return ArmResponse.ok(existing);
    }
    String registryState = Json.text(registry, "/properties/provisioningState");
    if (!"Succeeded".equals(registryState)) {
      throw ArmException.conflict(
          "AnotherOperationInProgress",
          "Registry '"
              + registryName
              + "' is in provisioning state '"
              + registryState
              + "'; replications can be added once it is Succeeded.");
    }
    if (!"Premium".equals(Json.text(registry, "/sku/name"))) {
      throw ArmException.badRequest(
          "RegistrySkuNotSupported",
          "Geo-replication needs a Premium registry; registry '"
              + registryName
              + "' is "
              + Json.text(registry, "/sku/name")
              + ".");
    }
    if (region.equals(Json.text(registry, "/location"))) {
      throw ArmException.badRequest(
          "ReplicationInHomeRegion",
          "Registry '"
              + registryName
              + "' already lives in '"
              + region
              + "'; a replica must be in another region.");
    }
    for (ObjectNode other : replicas.of(registry.get("id").asText())) {
      if (region.equals(Json.text(other, "/location"))) {
        throw ArmException.conflict(
            "ReplicationAlreadyExists",
            "Registry '"
                + registryName
                + "' already has replication '"
                + other.get("name").asText()
                + "' in '"
                + region
                + "'.");
      }
    }
    String deletedAt =
        Json.text(arm.store().internal("deletedReplications"), "/" + cooldownKey(registry, region));
    if (deletedAt != null
        && Instant.parse(deletedAt).plus(replicaCooldown).isAfter(Instant.parse(arm.now()))) {
      throw ArmException.conflict(
          "ReplicationRecentlyDeleted",
          "A replication of '"
              + registryName
              + "' in '"
              + region
              + "' was deleted moments ago; retry in a few minutes.");
    }
    String zoneRedundancy = ContainerRegistryApi.zoneRedundancy(body, region, "replication");
    ObjectNode replica =
        replicas.document(registry.get("id").asText(), request.var("rep"), region, zoneRedundancy);
    if (body.has("tags")) {
      replica.set("tags", body.get("tags"));
    }
    arm.store().put(id, replica);
    return provisionReplica(request, registry, replica, id, region, 201);
  }

  private ArmResponse provisionReplica(
      ArmRequest request,
      ObjectNode registry,
      ObjectNode replica,
      String id,
      String region,
      int status) {
    String registryName = registry.get("name").asText();
    ObjectNode replicaProps = Json.child(replica, "properties");
    replicaProps.put("provisioningState", "Creating");
    Json.child(replicaProps, "status")
        .put("displayStatus", "Provisioning")
        .put("timestamp", arm.now());
    ObjectNode op = arm.startOperation(request, "replication", "create", id, region);
    String registryId = registry.get("id").asText();
    PrivateLinkHooks.Refusal refused =
        privateLink.reserveForRegion(
            registryId, ContainerRegistryApi.dataEndpoint(registryName, region));
    if (refused != null) {
      op.put("rollback", refused.code().equals("InsufficientSubnetSize"));
      arm.operations().failWhenDue(op, refused.code(), refused.message());
    } else if (privateLink.hasEndpoints(registryId)
        && !arm.faults().permits(request.client(), Faults.PROXY_WRITE)) {
      // Without privateLinkServiceProxies/write the replica of a registry with private endpoints
      // stays Creating until it is deleted (ACR troubleshooting documentation).
      arm.operations().neverEnd(op);
    }
    return arm.accepted(
        request, status, replica, op, id + "/operationStatuses/" + op.get("id").asText());
  }

  private static String cooldownKey(ObjectNode registry, String region) {
    return registry.get("id").asText().toLowerCase(Locale.ROOT).replace('/', '|') + "|" + region;
  }

  private ArmResponse deleteReplication(
      ArmRequest request, ObjectNode registry, ObjectNode existing) {
    if (existing == null) {
      return ArmResponse.empty(204);
    }
    String region = Json.text(existing, "/location");
    if (region.equals(Json.text(registry, "/location"))) {
      throw ArmException.badRequest(
          "HomeReplicationCannotBeDeleted",
          "The home region replication '"
              + existing.get("name").asText()
              + "' cannot be deleted; delete the registry instead.");
    }
    return ContainerRegistryApi.acceptedDelete(arm, request, "replication", existing, region);
  }

  private static String registryIdOf(String replicaId) {
    return replicaId.substring(0, replicaId.toLowerCase(Locale.ROOT).lastIndexOf("/replications/"));
  }

  private void releaseRegion(String registryId, String region) {
    ObjectNode registry = arm.store().get(registryId);
    privateLink.releaseForRegion(
        registryId, ContainerRegistryApi.dataEndpoint(registry.get("name").asText(), region));
  }

  private final class Completion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode replica = arm.store().get(id);
      if (replica == null) {
        return;
      }
      String registryId = registryIdOf(id);
      ObjectNode registry = arm.store().get(registryId);
      String region = Json.text(replica, "/location");
      if (op.get("action").asText().equals("delete")) {
        arm.store().remove(id);
        arm.store().internal("deletedReplications").put(cooldownKey(registry, region), arm.now());
        arm.store().internalChanged("deletedReplications", cooldownKey(registry, region));
        releaseRegion(registryId, region);
        replicas.refreshDataEndpoints(registry);
        return;
      }
      replicas.markReady(replica);
      replicas.refreshDataEndpoints(registry);
      privateLink.replicaAdded(registryId, region);
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      String id = op.get("resourceId").asText();
      ObjectNode replica = arm.store().get(id);
      if (replica == null) {
        return;
      }
      if (op.get("action").asText().equals("create")) {
        releaseRegion(registryIdOf(id), Json.text(replica, "/location"));
      }
      if (op.path("rollback").asBoolean(false)) {
        arm.store().remove(id);
        return;
      }
      ObjectNode props = Json.child(replica, "properties");
      props.put("provisioningState", "Failed");
      ObjectNode status = Json.child(props, "status");
      status.put("displayStatus", "Failed");
      status.put("message", message);
      status.put("timestamp", arm.now());
    }
  }
}
