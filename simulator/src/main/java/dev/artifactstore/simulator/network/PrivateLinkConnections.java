package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.containerregistry.ContainerRegistryApi;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The private link service connections between endpoints and the registries they reach. Both sides
 * show a connection: the endpoint in its privateLinkServiceConnections, the registry in its
 * privateEndpointConnections, and the registry's side decides the state.
 */
final class PrivateLinkConnections implements PrivateLinkHooks {
  private static final String ENDPOINTS = "/providers/microsoft.network/privateendpoints/";
  private static final String REGISTRIES = "/providers/microsoft.containerregistry/registries/";

  /** A connection's privateLinkServiceConnectionState. */
  record State(String status, String description) {}

  private final ArmContext arm;
  private final Subnets subnets;

  PrivateLinkConnections(ArmContext arm, Subnets subnets) {
    this.arm = arm;
    this.subnets = subnets;
  }

  /**
   * The state an endpoint written now gets for its connection to the registry: the registry holds a
   * connection's state, so writing the endpoint again approves nothing.
   */
  State stateFor(ArmRequest request, ObjectNode registry, String endpointId, boolean manual) {
    JsonNode known = registryConnection(registry, endpointId);
    // Auto-approval of a new connection needs the approval action on the registry.
    if (known == null
        && !manual
        && !arm.faults().permits(request.client(), Faults.APPROVAL_ACTION)) {
      throw new ArmException(
          403,
          "LinkedAuthorizationFailed",
          "The client '"
              + request.client()
              + "' has permission to perform action 'Microsoft.Network/privateEndpoints/write' on"
              + " scope '"
              + endpointId
              + "'; however, it does not have permission to perform action '"
              + Faults.APPROVAL_ACTION
              + "' on the linked scope(s) '"
              + registry.get("id").asText()
              + "' or the linked scope(s) are invalid.");
    }
    if (known != null) {
      return new State(
          Json.text(known, "/properties/privateLinkServiceConnectionState/status"),
          known.at("/properties/privateLinkServiceConnectionState/description").asText(""));
    }
    return manual
        ? new State("Pending", "Awaiting approval")
        : new State("Approved", "Auto-Approved");
  }

  /**
   * The registry's private link members as Azure publishes them now, FQDN -> member name: login
   * server ("registry"), then each ready region's data endpoint ("registry_data_{region}").
   */
  Map<String, String> membersOf(ObjectNode registry) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put(Json.text(registry, "/properties/loginServer"), "registry");
    String name = registry.get("name").asText();
    for (ObjectNode replica : arm.store().children(registry.get("id").asText(), "replications")) {
      String replicaState = Json.text(replica, "/properties/provisioningState");
      String region = Json.text(replica, "/location");
      if ("Succeeded".equals(replicaState) || region.equals(Json.text(registry, "/location"))) {
        members.put(ContainerRegistryApi.dataEndpoint(name, region), "registry_data_" + region);
      }
    }
    return members;
  }

  /** The registry's connection to the endpoint, or null. */
  private static JsonNode registryConnection(ObjectNode registry, String endpointId) {
    for (JsonNode c : registry.path("properties").path("privateEndpointConnections")) {
      if (endpointId.equalsIgnoreCase(Json.text(c, "/properties/privateEndpoint/id"))) {
        return c;
      }
    }
    return null;
  }

  void upsertRegistryConnection(
      ObjectNode registry, ObjectNode endpoint, String status, String description) {
    ArrayNode list =
        Json.childArray(Json.child(registry, "properties"), "privateEndpointConnections");
    String endpointId = endpoint.get("id").asText();
    ObjectNode connection = (ObjectNode) registryConnection(registry, endpointId);
    if (connection == null) {
      connection = list.addObject();
      String name =
          registry.get("name").asText()
              + "."
              + UUID.nameUUIDFromBytes(endpointId.getBytes()).toString().replace("-", "");
      connection.put("type", "Microsoft.ContainerRegistry/registries/privateEndpointConnections");
      connection.put("id", registry.get("id").asText() + "/privateEndpointConnections/" + name);
      connection.put("name", name);
    }
    ObjectNode props = Json.child(connection, "properties");
    props.putObject("privateEndpoint").put("id", endpointId);
    ObjectNode state = props.putObject("privateLinkServiceConnectionState");
    state.put("status", status);
    state.put("description", description);
    state.put("actionsRequired", "None");
    props.put("provisioningState", "Succeeded");
    arm.store().changed(registry);
  }

  /** Every private endpoint in the store. */
  private List<ObjectNode> endpoints() {
    return arm.store().ofType(ENDPOINTS);
  }

  /** The lower-case ids of the resources an endpoint's connections (automatic or manual) target. */
  private static List<String> targets(ObjectNode endpoint) {
    List<String> targets = new ArrayList<>();
    for (String field :
        List.of("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")) {
      for (JsonNode c : endpoint.path("properties").path(field)) {
        String target = Json.text(c, "/properties/privateLinkServiceId");
        if (target != null) {
          targets.add(target.toLowerCase(Locale.ROOT));
        }
      }
    }
    return targets;
  }

  private List<ObjectNode> endpointsOf(String registryId) {
    String registry = registryId.toLowerCase(Locale.ROOT);
    List<ObjectNode> endpoints = new ArrayList<>();
    for (ObjectNode endpoint : endpoints()) {
      for (String target : targets(endpoint)) {
        if (target.equals(registry)) {
          endpoints.add(endpoint);
        }
      }
    }
    return endpoints;
  }

  /**
   * ACR asks every endpoint of the registry for the new region's member: an endpoint with static IP
   * configurations cannot give one (ACR geo-replication documentation), and a full subnet under any
   * of them makes the replica fail and roll back with an error that names no subnet.
   */
  @Override
  public Refusal reserveForRegion(String registryId, String fqdn) {
    List<ObjectNode> endpoints = endpointsOf(registryId);
    String registryName = registryId.substring(registryId.lastIndexOf('/') + 1);
    for (ObjectNode endpoint : endpoints) {
      if (!endpoint.path("properties").path("ipConfigurations").isEmpty()) {
        return new Refusal(
            "PrivateEndpointStaticIpConfigurationNotSupported",
            "Failed to replicate private endpoint "
                + endpoint.get("id").asText()
                + " of registry "
                + registryName
                + ": the private endpoint contains static ipconfigurations.");
      }
    }
    for (ObjectNode endpoint : endpoints) {
      String subnetId = Json.text(endpoint, "/properties/subnet/id");
      if (subnets.addressOf(subnetId, Subnets.owner(endpoint.get("id").asText(), fqdn)) == null
          && subnets.free(subnetId) < 1) {
        return new Refusal(
            "InsufficientSubnetSize",
            "Replication of registry "
                + registryName
                + " failed and was rolled back: a subnet of one of its private endpoints has no"
                + " free IP address.");
      }
    }
    for (ObjectNode endpoint : endpoints) {
      subnets.allocate(
          Json.text(endpoint, "/properties/subnet/id"),
          Subnets.owner(endpoint.get("id").asText(), fqdn));
    }
    return null;
  }

  @Override
  public boolean hasEndpoints(String registryId) {
    return !endpointsOf(registryId).isEmpty();
  }

  @Override
  public Set<String> registriesWithEndpoints() {
    Set<String> registries = new HashSet<>();
    for (ObjectNode endpoint : endpoints()) {
      registries.addAll(targets(endpoint));
    }
    return registries;
  }

  @Override
  public void releaseForRegion(String registryId, String fqdn) {
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      String owner = Subnets.owner(endpoint.get("id").asText(), fqdn);
      subnets.release(Json.text(endpoint, "/properties/subnet/id"), owner::equals);
    }
  }

  /**
   * A replica was added. Azure documents that the registry's endpoint connections can then show
   * Pending until approved on the registry; the fault switch makes them do so.
   */
  @Override
  public void replicaAdded(String registryId, String region) {
    if (!arm.faults().pendingAfterReplica() || endpointsOf(registryId).isEmpty()) {
      return;
    }
    arm.faults().count("pending-connection");
    ObjectNode registry = arm.store().get(registryId);
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      String description = "A replica was added in " + region + "; approve the connection again.";
      setConnectionState(endpoint, "Pending", description);
      arm.store().changed(endpoint);
      if (registry != null) {
        upsertRegistryConnection(registry, endpoint, "Pending", description);
      }
    }
  }

  @Override
  public void connectionStateChanged(String endpointId, String status, String description) {
    ObjectNode endpoint = arm.store().get(endpointId);
    if (endpoint != null) {
      setConnectionState(endpoint, status, description);
      arm.store().changed(endpoint);
    }
  }

  private static void setConnectionState(ObjectNode endpoint, String status, String description) {
    for (String field :
        List.of("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")) {
      for (JsonNode c : endpoint.path("properties").path(field)) {
        ObjectNode state =
            Json.child(
                Json.child((ObjectNode) c, "properties"), "privateLinkServiceConnectionState");
        state.put("status", status);
        state.put("description", description);
      }
    }
  }

  @Override
  public void registryDeleted(String registryId) {
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      for (JsonNode c : endpoint.path("properties").path("privateLinkServiceConnections")) {
        ((ObjectNode) c.path("properties").path("privateLinkServiceConnectionState"))
            .put("status", "Disconnected");
      }
      arm.store().changed(endpoint);
    }
  }

  /** The endpoint is being deleted: no registry keeps a connection to it. */
  void endpointDeleted(String endpointId) {
    for (ObjectNode registry : arm.store().ofType(REGISTRIES)) {
      ArrayNode list =
          Json.childArray(Json.child(registry, "properties"), "privateEndpointConnections");
      for (int i = list.size() - 1; i >= 0; i--) {
        if (endpointId.equalsIgnoreCase(Json.text(list.get(i), "/properties/privateEndpoint/id"))) {
          list.remove(i);
          arm.store().changed(registry);
        }
      }
    }
  }
}
