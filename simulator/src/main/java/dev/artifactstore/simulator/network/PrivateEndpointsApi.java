package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.containerregistry.ContainerRegistryApi;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Private endpoints to registries. A PUT replaces the whole document, as Azure does: what the body
 * leaves out (tags, application security groups, static IP configurations) is gone afterwards, and
 * what cannot change on an existing endpoint (location, subnet, network interface name) is refused.
 * An endpoint lives in its virtual network's region and subscription.
 */
final class PrivateEndpointsApi implements PrivateLinkHooks {
  static final String ENDPOINT_TYPE = "Microsoft.Network/privateEndpoints";

  private final ArmContext arm;
  private final Subnets subnets;
  private final PrivateDnsZoneGroupsApi groups;

  PrivateEndpointsApi(
      ArmContext arm, Router router, Subnets subnets, PrivateDnsZoneGroupsApi groups) {
    this.arm = arm;
    this.subnets = subnets;
    this.groups = groups;
    String group = NetworkApi.GROUP_PATH;
    router.add(
        group + "/privateEndpoints",
        Set.of("GET"),
        NetworkApi.NAMESPACE,
        ENDPOINT_TYPE,
        this::list);
    router.add(
        group + "/privateEndpoints/{pe}",
        Set.of("GET", "PUT", "DELETE"),
        NetworkApi.NAMESPACE,
        ENDPOINT_TYPE,
        this::endpoint);
    arm.operations().register("privateEndpoint", new Completion());
  }

  private ArmResponse list(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String prefix = ResourceStore.key(NetworkApi.base(request)) + "/privateendpoints/";
    return ArmResponse.ok(
        ArmContext.list(
            arm.store().list(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0)));
  }

  private ArmResponse endpoint(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String id = NetworkApi.base(request) + "/privateEndpoints/" + request.var("pe");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (!arm.faults().permits(request.client(), Faults.ENDPOINT_READ)) {
          throw ArmException.authorizationFailed(request.client(), Faults.ENDPOINT_READ, id);
        }
        if (existing == null) {
          throw ArmException.notFound(ENDPOINT_TYPE, request.var("pe"), request.var("rg"));
        }
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        return put(request, id, existing);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        String region = Json.text(existing, "/location");
        arm.requireRegionUp(region);
        Json.child(existing, "properties").put("provisioningState", "Deleting");
        ObjectNode op = arm.startOperation(request, "privateEndpoint", "delete", id, region);
        return NetworkApi.acceptedDelete(arm, request, op, region);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private ArmResponse put(ArmRequest request, String id, ObjectNode existing) {
    ObjectNode body = request.bodyObject();
    JsonNode requested = body.path("properties");
    String region = Regions.require(Json.text(body, "/location"), ENDPOINT_TYPE);
    arm.requireRegionUp(region);
    if (existing != null) {
      String existingRegion = Json.text(existing, "/location");
      if (!region.equals(existingRegion)) {
        throw new ArmException(
            409,
            "InvalidResourceLocation",
            "The resource '"
                + request.var("pe")
                + "' already exists in location '"
                + existingRegion
                + "' in resource group '"
                + request.var("rg")
                + "'. A resource with the same name cannot be created in location '"
                + region
                + "'. Please select a new resource name.");
      }
      String state = Json.text(existing, "/properties/provisioningState");
      if (!"Succeeded".equals(state) && !"Failed".equals(state)) {
        throw ArmException.conflict(
            "AnotherOperationInProgress",
            "Private endpoint '"
                + request.var("pe")
                + "' is "
                + state
                + "; retry when it has finished.");
      }
    }
    String subnetId = Json.text(requested, "/subnet/id");
    ObjectNode subnet = subnetId == null ? null : arm.store().get(subnetId);
    if (subnet == null || !inNetworkOf(id, region, subnetId)) {
      // Azure's answer when the subnet is missing, or in another region or subscription.
      throw ArmException.badRequest(
          "InvalidResourceReference",
          "Resource "
              + subnetId
              + " referenced by resource "
              + id
              + " was not found. Please make sure that the referenced resource exists, and that"
              + " both resources are in the same region.");
    }
    String nicName = requested.path("customNetworkInterfaceName").asText("");
    if (existing != null) {
      if (!subnetId.equalsIgnoreCase(Json.text(existing, "/properties/subnet/id"))) {
        throw ArmException.badRequest(
            "CannotChangeSubnetOnExistingPrivateEndpoint",
            "Subnet of private endpoint "
                + id
                + " cannot be changed from "
                + Json.text(existing, "/properties/subnet/id")
                + " to "
                + subnetId
                + ".");
      }
      String existingNic =
          existing.path("properties").path("customNetworkInterfaceName").asText("");
      if (!existingNic.equals(nicName)) {
        throw ArmException.badRequest(
            "NameOfExistingPrivateEndpointNicCannotBeChanged",
            "Private Endpoint "
                + id
                + " contains existing NIC name "
                + nicOf(existing)
                + " which does not match request's custom network interface name "
                + nicName
                + ". Updating the name of existing nic not allowed.");
      }
    }
    JsonNode connections = requested.path("privateLinkServiceConnections");
    boolean manual = false;
    if (!connections.isArray() || connections.isEmpty()) {
      connections = requested.path("manualPrivateLinkServiceConnections");
      manual = true;
    }
    if (!connections.isArray() || connections.size() != 1) {
      throw ArmException.badRequest(
          "InvalidPrivateLinkServiceConnections",
          "A private endpoint needs exactly one private link service connection.");
    }
    JsonNode connection = connections.get(0);
    String registryId = Json.text(connection, "/properties/privateLinkServiceId");
    ObjectNode registry = registryId == null ? null : arm.store().get(registryId);
    if (registry == null) {
      throw ArmException.badRequest(
          "InvalidResourceReference",
          "Resource " + registryId + " referenced by resource " + id + " was not found.");
    }
    JsonNode groupIds = connection.path("properties").path("groupIds");
    if (groupIds.size() != 1 || !groupIds.get(0).asText().equals("registry")) {
      throw ArmException.badRequest(
          "PrivateEndpointBadRequest",
          "A registry's private link resource is the group 'registry': got " + groupIds + ".");
    }

    // The registry holds a connection's state: writing the endpoint again approves nothing.
    JsonNode known = registryConnection(registry, id);
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
              + id
              + "'; however, it does not have permission to perform action '"
              + Faults.APPROVAL_ACTION
              + "' on the linked scope(s) '"
              + registry.get("id").asText()
              + "' or the linked scope(s) are invalid.");
    }
    String status =
        known != null
            ? Json.text(known, "/properties/privateLinkServiceConnectionState/status")
            : manual ? "Pending" : "Approved";
    String description =
        known != null
            ? known.at("/properties/privateLinkServiceConnectionState/description").asText("")
            : manual ? "Awaiting approval" : "Auto-Approved";

    Map<String, String> members = membersOf(registry);
    Map<String, String> staticIps = staticAddresses(requested);
    List<String> ips = new ArrayList<>();
    for (var member : members.entrySet()) {
      String owner = owner(id, member.getKey());
      String fixed = staticIps.get(member.getValue());
      String ip = fixed == null ? subnets.allocate(subnetId, owner) : claim(subnetId, owner, fixed);
      if (ip == null) {
        if (existing == null) {
          // A refused create leaves no address behind.
          subnets.release(subnetId, o -> o.startsWith(ResourceStore.key(id) + "|"));
        }
        throw ArmException.badRequest(
            "SubnetIsFull",
            "Subnet " + subnetId + " has no free private IP address for " + member.getKey() + ".");
      }
      ips.add(ip);
    }

    ObjectNode endpoint = ArmContext.resource(id, request.var("pe"), ENDPOINT_TYPE, region);
    endpoint.put("etag", "W/\"" + UUID.randomUUID() + "\"");
    if (body.has("tags")) {
      endpoint.set("tags", body.get("tags").deepCopy());
    }
    ObjectNode props = endpoint.putObject("properties");
    props.put("provisioningState", "Updating");
    props.put("resourceGuid", UUID.nameUUIDFromBytes(id.getBytes()).toString());
    ArrayNode plsc =
        props.putArray(
            manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections");
    props.putArray(
        manual ? "privateLinkServiceConnections" : "manualPrivateLinkServiceConnections");
    ObjectNode c = plsc.addObject();
    String connectionName = connection.path("name").asText(request.var("pe"));
    c.put("name", connectionName);
    c.put("id", id + "/privateLinkServiceConnections/" + connectionName);
    c.put("type", "Microsoft.Network/privateEndpoints/privateLinkServiceConnections");
    c.set("etag", endpoint.get("etag"));
    ObjectNode cProps = c.putObject("properties");
    cProps.put("provisioningState", "Succeeded");
    cProps.put("privateLinkServiceId", registry.get("id").asText());
    cProps.putArray("groupIds").add("registry");
    if (connection.path("properties").has("requestMessage")) {
      cProps.set("requestMessage", connection.path("properties").get("requestMessage"));
    }
    ObjectNode state = cProps.putObject("privateLinkServiceConnectionState");
    state.put("status", status);
    state.put("description", description);
    state.put("actionsRequired", "None");
    props.putObject("subnet").put("id", subnetId);
    props
        .putArray("networkInterfaces")
        .addObject()
        .put("id", nicId(request, id, nicName, existing));
    props.put("customNetworkInterfaceName", nicName);
    props.set(
        "ipConfigurations",
        requested.path("ipConfigurations").isArray()
            ? requested.get("ipConfigurations").deepCopy()
            : Json.array());
    props.set(
        "applicationSecurityGroups",
        requested.path("applicationSecurityGroups").isArray()
            ? requested.get("applicationSecurityGroups").deepCopy()
            : Json.array());
    ArrayNode dnsConfigs = props.putArray("customDnsConfigs");
    int i = 0;
    for (String fqdn : members.keySet()) {
      ObjectNode config = dnsConfigs.addObject();
      config.put("fqdn", fqdn);
      config.putArray("ipAddresses").add(ips.get(i++));
    }
    arm.store().put(id, endpoint);
    upsertRegistryConnection(registry, endpoint, status, description);

    ObjectNode op =
        arm.startOperation(
            request, "privateEndpoint", existing == null ? "create" : "update", id, region);
    return NetworkApi.accepted(arm, request, existing == null ? 201 : 200, endpoint, op, region);
  }

  /** Whether the subnet's virtual network is in the endpoint's region and subscription. */
  private boolean inNetworkOf(String endpointId, String region, String subnetId) {
    String[] endpointParts = endpointId.split("/");
    String[] subnetParts = subnetId.split("/");
    if (subnetParts.length < 11 || !endpointParts[2].equalsIgnoreCase(subnetParts[2])) {
      return false;
    }
    ObjectNode vnet =
        arm.store().get(subnetId.substring(0, subnetId.toLowerCase().indexOf("/subnets/")));
    return vnet != null && region.equals(ArmContext.normaliseRegion(Json.text(vnet, "/location")));
  }

  private String claim(String subnetId, String owner, String address) {
    if (!subnets.claim(subnetId, owner, address)) {
      throw ArmException.badRequest(
          "PrivateIPAddressNotAvailable",
          "Private static IP address "
              + address
              + " does not belong to the range of subnet "
              + subnetId
              + " or is already in use.");
    }
    return address;
  }

  /** Static addresses the body asks for, by member name ("registry", "registry_data_eastus"). */
  private static Map<String, String> staticAddresses(JsonNode requested) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode config : requested.path("ipConfigurations")) {
      String member = Json.text(config, "/properties/memberName");
      String address = Json.text(config, "/properties/privateIPAddress");
      if (member != null && address != null) {
        out.put(member, address);
      }
    }
    return out;
  }

  private static String nicOf(ObjectNode endpoint) {
    String nic = Json.text(endpoint, "/properties/networkInterfaces/0/id");
    return nic == null ? "" : nic.substring(nic.lastIndexOf('/') + 1);
  }

  /** The endpoint's network interface: the custom name when given, else Azure's own. */
  private static String nicId(ArmRequest request, String id, String nicName, ObjectNode existing) {
    if (existing != null) {
      return Json.text(existing, "/properties/networkInterfaces/0/id");
    }
    String name =
        nicName.isEmpty()
            ? request.var("pe") + ".nic." + UUID.nameUUIDFromBytes(id.getBytes())
            : nicName;
    return NetworkApi.base(request) + "/networkInterfaces/" + name;
  }

  private static String owner(String endpointId, String fqdn) {
    return ResourceStore.key(endpointId) + "|" + fqdn;
  }

  /**
   * The registry's private link members as Azure publishes them now, FQDN -> member name: login
   * server ("registry"), then each ready region's data endpoint ("registry_data_{region}").
   */
  private Map<String, String> membersOf(ObjectNode registry) {
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

  private void upsertRegistryConnection(
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
    arm.store().markDirty();
  }

  private List<ObjectNode> endpointsOf(String registryId) {
    List<ObjectNode> endpoints = new ArrayList<>();
    for (ObjectNode endpoint :
        arm.store()
            .list(k -> k.matches(".*/providers/microsoft\\.network/privateendpoints/[^/]+$"))) {
      for (String field :
          List.of("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")) {
        for (JsonNode c : endpoint.path("properties").path(field)) {
          if (registryId.equalsIgnoreCase(Json.text(c, "/properties/privateLinkServiceId"))) {
            endpoints.add(endpoint);
          }
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
      if (subnets.addressOf(subnetId, owner(endpoint.get("id").asText(), fqdn)) == null
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
          Json.text(endpoint, "/properties/subnet/id"), owner(endpoint.get("id").asText(), fqdn));
    }
    return null;
  }

  @Override
  public boolean hasEndpoints(String registryId) {
    return !endpointsOf(registryId).isEmpty();
  }

  @Override
  public void releaseForRegion(String registryId, String fqdn) {
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      String owner = owner(endpoint.get("id").asText(), fqdn);
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
      if (registry != null) {
        upsertRegistryConnection(registry, endpoint, "Pending", description);
      }
    }
    arm.store().markDirty();
  }

  @Override
  public void connectionStateChanged(String endpointId, String status, String description) {
    ObjectNode endpoint = arm.store().get(endpointId);
    if (endpoint != null) {
      setConnectionState(endpoint, status, description);
      arm.store().markDirty();
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
    }
    arm.store().markDirty();
  }

  private final class Completion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode endpoint = arm.store().get(id);
      if (endpoint == null) {
        return;
      }
      if (op.get("action").asText().equals("delete")) {
        groups.endpointDeleted(id);
        subnets.release(
            Json.text(endpoint, "/properties/subnet/id"),
            o -> o.startsWith(ResourceStore.key(id) + "|"));
        for (ObjectNode registry : arm.store().list(k -> k.matches(".*/registries/[^/]+$"))) {
          ArrayNode list =
              Json.childArray(Json.child(registry, "properties"), "privateEndpointConnections");
          for (int i = list.size() - 1; i >= 0; i--) {
            if (id.equalsIgnoreCase(Json.text(list.get(i), "/properties/privateEndpoint/id"))) {
              list.remove(i);
            }
          }
        }
        arm.store().removeTree(id);
        return;
      }
      // Zone groups keep the records they wrote when they were written: a new region's record
      // does not appear when only the endpoint is written again.
      Json.child(endpoint, "properties").put("provisioningState", "Succeeded");
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      ObjectNode endpoint = arm.store().get(op.get("resourceId").asText());
      if (endpoint != null) {
        Json.child(endpoint, "properties").put("provisioningState", "Failed");
      }
    }
  }
}
