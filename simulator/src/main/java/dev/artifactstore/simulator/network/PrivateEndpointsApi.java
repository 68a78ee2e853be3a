package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.Router;
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
final class PrivateEndpointsApi {
  static final String ENDPOINT_TYPE = "Microsoft.Network/privateEndpoints";

  private final ArmContext arm;
  private final Subnets subnets;
  private final PrivateDnsZoneGroupsApi groups;
  private final PrivateLinkConnections links;

  PrivateEndpointsApi(
      ArmContext arm,
      Router router,
      Subnets subnets,
      PrivateDnsZoneGroupsApi groups,
      PrivateLinkConnections links) {
    this.arm = arm;
    this.subnets = subnets;
    this.groups = groups;
    this.links = links;
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
    // Listing needs the same read action, at the resource group's scope.
    if (!arm.faults().permits(request.client(), Faults.ENDPOINT_READ)) {
      throw ArmException.authorizationFailed(
          request.client(),
          Faults.ENDPOINT_READ,
          "/subscriptions/" + request.var("sub") + "/resourceGroups/" + request.var("rg"));
    }
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
    PrivateEndpointRequest checked = PrivateEndpointRequest.check(arm, request, id, existing);
    ObjectNode registry = checked.registry();
    PrivateLinkConnections.State state = links.stateFor(request, registry, id, checked.manual());
    Map<String, String> members = links.membersOf(registry);
    List<String> ips = allocate(id, checked, members, existing);

    String region = checked.region();
    ObjectNode endpoint = ArmContext.resource(id, request.var("pe"), ENDPOINT_TYPE, region);
    endpoint.put("etag", "W/\"" + UUID.randomUUID() + "\"");
    if (checked.body().has("tags")) {
      endpoint.set("tags", checked.body().get("tags").deepCopy());
    }
    ObjectNode props = endpoint.putObject("properties");
    props.put("provisioningState", "Updating");
    props.put("resourceGuid", UUID.nameUUIDFromBytes(id.getBytes()).toString());
    boolean manual = checked.manual();
    ArrayNode plsc =
        props.putArray(
            manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections");
    props.putArray(
        manual ? "privateLinkServiceConnections" : "manualPrivateLinkServiceConnections");
    addConnection(plsc, request, endpoint, checked.connection(), registry, state);
    props.putObject("subnet").put("id", checked.subnetId());
    String nicName = checked.nicName();
    props
        .putArray("networkInterfaces")
        .addObject()
        .put("id", nicId(request, id, nicName, existing));
    props.put("customNetworkInterfaceName", nicName);
    JsonNode requested = checked.properties();
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
    links.upsertRegistryConnection(registry, endpoint, state.status(), state.description());

    ObjectNode op =
        arm.startOperation(
            request, "privateEndpoint", existing == null ? "create" : "update", id, region);
    return NetworkApi.accepted(arm, request, existing == null ? 201 : 200, endpoint, op, region);
  }

  /** An address in the subnet for each member, in the members' order. */
  private List<String> allocate(
      String id, PrivateEndpointRequest checked, Map<String, String> members, ObjectNode existing) {
    String subnetId = checked.subnetId();
    Map<String, String> staticIps = staticAddresses(checked.properties());
    List<String> ips = new ArrayList<>();
    for (var member : members.entrySet()) {
      String owner = Subnets.owner(id, member.getKey());
      String fixed = staticIps.get(member.getValue());
      String ip = fixed == null ? subnets.allocate(subnetId, owner) : claim(subnetId, owner, fixed);
      if (ip == null) {
        if (existing == null) {
          // A refused create leaves no address behind.
          subnets.release(subnetId, Subnets.ownedBy(id));
        }
        throw ArmException.badRequest(
            "SubnetIsFull",
            "Subnet " + subnetId + " has no free private IP address for " + member.getKey() + ".");
      }
      ips.add(ip);
    }
    return ips;
  }

  private static void addConnection(
      ArrayNode connections,
      ArmRequest request,
      ObjectNode endpoint,
      JsonNode connection,
      ObjectNode registry,
      PrivateLinkConnections.State state) {
    ObjectNode c = connections.addObject();
    String connectionName = connection.path("name").asText(request.var("pe"));
    c.put("name", connectionName);
    c.put("id", endpoint.get("id").asText() + "/privateLinkServiceConnections/" + connectionName);
    c.put("type", "Microsoft.Network/privateEndpoints/privateLinkServiceConnections");
    c.set("etag", endpoint.get("etag"));
    ObjectNode cProps = c.putObject("properties");
    cProps.put("provisioningState", "Succeeded");
    cProps.put("privateLinkServiceId", registry.get("id").asText());
    cProps.putArray("groupIds").add("registry");
    if (connection.path("properties").has("requestMessage")) {
      cProps.set("requestMessage", connection.path("properties").get("requestMessage"));
    }
    ObjectNode stored = cProps.putObject("privateLinkServiceConnectionState");
    stored.put("status", state.status());
    stored.put("description", state.description());
    stored.put("actionsRequired", "None");
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
        subnets.release(Json.text(endpoint, "/properties/subnet/id"), Subnets.ownedBy(id));
        links.endpointDeleted(id);
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
