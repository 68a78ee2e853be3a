package dev.artifactstore.simulator.containerregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A registry's private endpoint connections, as `az acr private-endpoint-connection
 * list|show|approve|reject|delete` uses them (the Azure CLI's recording of them is in
 * shared/recordings): a connection is approved or rejected here, on the registry, never by writing
 * the endpoint.
 */
final class PrivateEndpointConnectionsApi {
  static final String CONNECTION_TYPE =
      "Microsoft.ContainerRegistry/registries/privateEndpointConnections";

  private final ArmContext arm;
  private final PrivateLinkHooks privateLink;

  PrivateEndpointConnectionsApi(ArmContext arm, Router router, PrivateLinkHooks privateLink) {
    this.arm = arm;
    this.privateLink = privateLink;
    String registry =
        ContainerRegistryApi.GROUP_PATH + "/registries/{name}/privateEndpointConnections";
    router.add(
        registry, Set.of("GET"), ContainerRegistryApi.NAMESPACE, CONNECTION_TYPE, this::list);
    router.add(
        registry + "/{conn}",
        Set.of("GET", "PUT", "DELETE"),
        ContainerRegistryApi.NAMESPACE,
        CONNECTION_TYPE,
        this::connection);
    arm.operations()
        .register(
            "privateEndpointConnection",
            new Operations.Completion() {
              @Override
              public void succeeded(ObjectNode op) {
                ObjectNode connection = find(op.get("resourceId").asText());
                if (connection != null) {
                  Json.child(connection, "properties").put("provisioningState", "Succeeded");
                  arm.store().changed(registryOf(op.get("resourceId").asText()));
                }
              }

              @Override
              public void failed(ObjectNode op, String code, String message) {
                ObjectNode connection = find(op.get("resourceId").asText());
                if (connection != null) {
                  Json.child(connection, "properties").put("provisioningState", "Failed");
                  arm.store().changed(registryOf(op.get("resourceId").asText()));
                }
              }
            });
  }

  /** The registry a connection's id is under. */
  private static String registryOf(String connectionId) {
    return connectionId.substring(
        0, connectionId.toLowerCase(Locale.ROOT).indexOf("/privateendpointconnections/"));
  }

  private static ArrayNode connections(ObjectNode registry) {
    return Json.childArray(Json.child(registry, "properties"), "privateEndpointConnections");
  }

  /** The connection with this id, wherever its registry is. */
  private ObjectNode find(String id) {
    String registryId = id.substring(0, id.toLowerCase().indexOf("/privateendpointconnections/"));
    ObjectNode registry = arm.store().get(registryId);
    if (registry == null) {
      return null;
    }
    for (JsonNode c : connections(registry)) {
      if (id.equalsIgnoreCase(c.path("id").asText())) {
        return (ObjectNode) c;
      }
    }
    return null;
  }

  private ArmResponse list(ArmRequest request) {
    return ArmResponse.ok(
        ArmContext.list(connections(ContainerRegistryApi.requireRegistry(arm, request))));
  }

  private ArmResponse connection(ArmRequest request) {
    ObjectNode registry = ContainerRegistryApi.requireRegistry(arm, request);
    String id = registry.get("id").asText() + "/privateEndpointConnections/" + request.var("conn");
    ObjectNode existing = find(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(
              CONNECTION_TYPE, request.var("name") + "/" + request.var("conn"), request.var("rg"));
        }
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        if (existing == null) {
          throw ArmException.notFound(
              CONNECTION_TYPE, request.var("name") + "/" + request.var("conn"), request.var("rg"));
        }
        if (!arm.faults().permits(request.client(), Faults.APPROVAL_ACTION)) {
          throw ArmException.authorizationFailed(
              request.client(), Faults.APPROVAL_ACTION, registry.get("id").asText());
        }
        JsonNode state =
            request.bodyObject().path("properties").path("privateLinkServiceConnectionState");
        String status = state.path("status").asText("");
        if (!List.of("Approved", "Rejected", "Pending").contains(status)) {
          throw ArmException.badRequest(
              "InvalidPrivateEndpointConnectionStatus",
              "privateLinkServiceConnectionState.status must be Approved, Rejected or Pending.");
        }
        String description = state.path("description").asText("");
        ObjectNode props = Json.child(existing, "properties");
        ObjectNode stored = props.putObject("privateLinkServiceConnectionState");
        stored.put("status", status);
        stored.put("description", description);
        stored.put("actionsRequired", "None");
        props.put("provisioningState", "Updating");
        privateLink.connectionStateChanged(
            Json.text(existing, "/properties/privateEndpoint/id"), status, description);
        arm.store().changed(registry);
        String region = Json.text(registry, "/location");
        ObjectNode op =
            arm.startOperation(request, "privateEndpointConnection", "update", id, region);
        return arm.accepted(
            request, 201, existing, op, id + "/operationStatuses/" + op.get("id").asText());
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        ArrayNode list = connections(registry);
        for (int i = list.size() - 1; i >= 0; i--) {
          if (id.equalsIgnoreCase(list.get(i).path("id").asText())) {
            list.remove(i);
          }
        }
        privateLink.connectionStateChanged(
            Json.text(existing, "/properties/privateEndpoint/id"),
            "Disconnected",
            "The connection was deleted on the registry.");
        arm.store().changed(registry);
        return ArmResponse.empty(200);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }
}
