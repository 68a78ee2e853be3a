package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Virtual networks and their subnets; a subnet shows the addresses its endpoints hold. */
final class VirtualNetworksApi {
  static final String VNET_TYPE = "Microsoft.Network/virtualNetworks";
  static final String SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets";

  private final ArmContext arm;
  private final Subnets subnets;

  VirtualNetworksApi(ArmContext arm, Router router, Subnets subnets) {
    this.arm = arm;
    this.subnets = subnets;
    String group = NetworkApi.GROUP_PATH;
    router.add(
        group + "/virtualNetworks/{vnet}",
        Set.of("GET", "PUT", "DELETE"),
        NetworkApi.NAMESPACE,
        VNET_TYPE,
        this::virtualNetwork);
    router.add(
        group + "/virtualNetworks/{vnet}/subnets",
        Set.of("GET"),
        NetworkApi.NAMESPACE,
        SUBNET_TYPE,
        this::listSubnets);
    router.add(
        group + "/virtualNetworks/{vnet}/subnets/{subnet}",
        Set.of("GET", "PUT", "DELETE"),
        NetworkApi.NAMESPACE,
        SUBNET_TYPE,
        this::subnet);
    arm.operations()
        .register(
            "virtualNetwork",
            new Operations.Completion() {
              @Override
              public void succeeded(ObjectNode op) {
                setState(op, "Succeeded");
              }

              @Override
              public void failed(ObjectNode op, String code, String message) {
                setState(op, "Failed");
              }
            });
  }

  private void setState(ObjectNode op, String state) {
    ObjectNode doc = arm.store().get(op.get("resourceId").asText());
    if (doc != null) {
      Json.child(doc, "properties").put("provisioningState", state);
    }
  }

  private ArmResponse virtualNetwork(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String id = NetworkApi.base(request) + "/virtualNetworks/" + request.var("vnet");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(VNET_TYPE, request.var("vnet"), request.var("rg"));
        }
        return ArmResponse.ok(withSubnets(existing));
      }
      case "PUT" -> {
        ObjectNode body = request.bodyObject();
        String region = Regions.require(Json.text(body, "/location"), VNET_TYPE);
        ObjectNode vnet = ArmContext.resource(id, request.var("vnet"), VNET_TYPE, region);
        vnet.put("etag", "W/\"" + UUID.randomUUID() + "\"");
        ObjectNode props = vnet.putObject("properties");
        props.put("provisioningState", "Updating");
        props.put("resourceGuid", UUID.nameUUIDFromBytes(id.getBytes()).toString());
        props.set("addressSpace", body.path("properties").path("addressSpace").deepCopy());
        ObjectNode dhcp =
            body.path("properties").path("dhcpOptions") instanceof ObjectNode requested
                ? requested.deepCopy()
                : Json.object();
        Json.childArray(dhcp, "dnsServers");
        props.set("dhcpOptions", dhcp);
        props.putArray("virtualNetworkPeerings");
        props.put("enableDdosProtection", false);
        if (body.has("tags")) {
          vnet.set("tags", body.get("tags"));
        }
        arm.store().put(id, vnet);
        for (JsonNode subnet : body.path("properties").path("subnets")) {
          putSubnet(id, subnet.path("name").asText(), (ObjectNode) subnet);
        }
        ObjectNode op =
            arm.startOperation(
                request, "virtualNetwork", existing == null ? "create" : "update", id, region);
        return NetworkApi.accepted(
            arm, request, existing == null ? 201 : 200, withSubnets(vnet), op, region);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        arm.store().removeTree(id);
        return ArmResponse.empty(200);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private ObjectNode withSubnets(ObjectNode vnet) {
    ObjectNode copy = vnet.deepCopy();
    ArrayNode list = Json.child(copy, "properties").putArray("subnets");
    arm.store().children(vnet.get("id").asText(), "subnets").forEach(s -> list.add(subnetView(s)));
    return copy;
  }

  private ObjectNode subnetView(ObjectNode subnet) {
    ObjectNode view = subnet.deepCopy();
    ArrayNode configs = Json.child(view, "properties").putArray("ipConfigurations");
    int used = subnets.used(subnet.get("id").asText());
    for (int i = 0; i < used; i++) {
      configs.addObject().put("id", subnet.get("id").asText() + "/ipConfigurations/ip" + i);
    }
    return view;
  }

  private ObjectNode putSubnet(String vnetId, String name, ObjectNode body) {
    String prefix = Json.text(body, "/properties/addressPrefix");
    if (prefix == null) {
      throw ArmException.badRequest(
          "InvalidRequestFormat", "Subnet '" + name + "' needs properties.addressPrefix.");
    }
    Subnets.range(prefix);
    String id = vnetId + "/subnets/" + name;
    ObjectNode subnet = ArmContext.resource(id, name, SUBNET_TYPE, null);
    subnet.put("etag", "W/\"" + UUID.randomUUID() + "\"");
    ObjectNode props = subnet.putObject("properties");
    props.put("provisioningState", "Succeeded");
    props.put("addressPrefix", prefix);
    props.putArray("delegations");
    props.put("privateEndpointNetworkPolicies", "Disabled");
    props.put("privateLinkServiceNetworkPolicies", "Enabled");
    arm.store().put(id, subnet);
    return subnet;
  }

  private ArmResponse listSubnets(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String vnetId = NetworkApi.base(request) + "/virtualNetworks/" + request.var("vnet");
    if (arm.store().get(vnetId) == null) {
      throw ArmException.notFound(VNET_TYPE, request.var("vnet"), request.var("rg"));
    }
    List<ObjectNode> views = new ArrayList<>();
    arm.store().children(vnetId, "subnets").forEach(s -> views.add(subnetView(s)));
    return ArmResponse.ok(ArmContext.list(views));
  }

  private ArmResponse subnet(ArmRequest request) {
    String vnetId = NetworkApi.base(request) + "/virtualNetworks/" + request.var("vnet");
    // ARM checks a child's parent before its resource group (seen in live recordings).
    arm.requireSubscription(request.var("sub"));
    ObjectNode vnet = arm.store().get(vnetId);
    if (vnet == null) {
      throw ArmException.notFound(VNET_TYPE, request.var("vnet"), request.var("rg"));
    }
    String id = vnetId + "/subnets/" + request.var("subnet");
    if (request.method().equals("DELETE")) {
      if (arm.store().get(id) == null) {
        return ArmResponse.empty(204);
      }
      if (subnets.used(id) > 0) {
        throw ArmException.badRequest(
            "InUseSubnetCannotBeDeleted",
            "Subnet "
                + request.var("subnet")
                + " is in use by private endpoints and cannot be deleted.");
      }
      arm.store().remove(id);
      return ArmResponse.empty(200);
    }
    if (request.method().equals("GET")) {
      ObjectNode subnet = arm.store().get(id);
      if (subnet == null) {
        throw ArmException.notFound(
            SUBNET_TYPE, request.var("vnet") + "/" + request.var("subnet"), request.var("rg"));
      }
      return ArmResponse.ok(subnetView(subnet));
    }
    boolean existed = arm.store().get(id) != null;
    ObjectNode subnet = putSubnet(vnetId, request.var("subnet"), request.bodyObject());
    String region = Json.text(vnet, "/location");
    ObjectNode op =
        arm.startOperation(request, "virtualNetwork", existed ? "update" : "create", id, region);
    Json.child(subnet, "properties").put("provisioningState", "Updating");
    return NetworkApi.accepted(arm, request, existed ? 200 : 201, subnetView(subnet), op, region);
  }
}
