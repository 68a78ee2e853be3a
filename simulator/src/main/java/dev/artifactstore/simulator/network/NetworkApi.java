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
import dev.artifactstore.simulator.privatedns.PrivateDnsApi;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Microsoft.Network: virtual networks and subnets, private endpoints to registries and their
 * private DNS zone groups.
 */
public final class NetworkApi implements PrivateLinkHooks {
  static final String NAMESPACE = "Microsoft.Network";
  static final String VNET_TYPE = "Microsoft.Network/virtualNetworks";
  static final String SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets";
  static final String ENDPOINT_TYPE = "Microsoft.Network/privateEndpoints";
  static final String ZONE_GROUP_TYPE = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";

  private final ArmContext arm;
  private final PrivateDnsApi dns;
  private final Subnets subnets;

  public NetworkApi(ArmContext arm, Router router, PrivateDnsApi dns) {
    this.arm = arm;
    this.dns = dns;
    this.subnets = new Subnets(arm.store());
    String group = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network";
    router.add(
        group + "/virtualNetworks/{vnet}",
        Set.of("GET", "PUT", "DELETE"),
        NAMESPACE,
        VNET_TYPE,
        this::virtualNetwork);
    router.add(
        group + "/virtualNetworks/{vnet}/subnets",
        Set.of("GET"),
        NAMESPACE,
        SUBNET_TYPE,
        this::listSubnets);
    router.add(
        group + "/virtualNetworks/{vnet}/subnets/{subnet}",
        Set.of("GET", "PUT", "DELETE"),
        NAMESPACE,
        SUBNET_TYPE,
        this::subnet);
    router.add(
        group + "/privateEndpoints", Set.of("GET"), NAMESPACE, ENDPOINT_TYPE, this::listEndpoints);
    router.add(
        group + "/privateEndpoints/{pe}",
        Set.of("GET", "PUT", "DELETE"),
        NAMESPACE,
        ENDPOINT_TYPE,
        this::endpoint);
    router.add(
        group + "/privateEndpoints/{pe}/privateDnsZoneGroups",
        Set.of("GET"),
        NAMESPACE,
        ZONE_GROUP_TYPE,
        this::listZoneGroups);
    router.add(
        group + "/privateEndpoints/{pe}/privateDnsZoneGroups/{group}",
        Set.of("GET", "PUT", "DELETE"),
        NAMESPACE,
        ZONE_GROUP_TYPE,
        this::zoneGroup);
    Operations.Completion simple =
        new Operations.Completion() {
          @Override
          public void succeeded(ObjectNode op) {
            ObjectNode doc = arm.store().get(op.get("resourceId").asText());
            if (doc != null) {
              Json.child(doc, "properties").put("provisioningState", "Succeeded");
            }
          }

          @Override
          public void failed(ObjectNode op, String code, String message) {
            ObjectNode doc = arm.store().get(op.get("resourceId").asText());
            if (doc != null) {
              Json.child(doc, "properties").put("provisioningState", "Failed");
            }
          }
        };
    arm.operations().register("virtualNetwork", simple);
    arm.operations().register("privateEndpoint", new EndpointCompletion());
    arm.operations().register("privateDnsZoneGroup", new ZoneGroupCompletion());
  }

  private static String base(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/Microsoft.Network";
  }

  private String statusUrl(ArmRequest request, String region, ObjectNode op) {
    return "/subscriptions/"
        + request.var("sub")
        + "/providers/Microsoft.Network/locations/"
        + region
        + "/operations/"
        + op.get("id").asText();
  }

  private ArmResponse accepted(
      ArmRequest request, int status, ObjectNode body, ObjectNode op, String region) {
    return arm.accepted(request, status, body, op, statusUrl(request, region, op));
  }

  private ArmResponse acceptedDelete(ArmRequest request, ObjectNode op, String region) {
    return arm.acceptedDelete(
            request,
            op,
            "/subscriptions/"
                + request.var("sub")
                + "/providers/Microsoft.Network/locations/"
                + region
                + "/operationResults/"
                + op.get("id").asText())
        .header(
            "Azure-AsyncOperation", ArmContext.absolute(request, statusUrl(request, region, op)));
  }

  // ---- virtual networks and subnets ----

  private ArmResponse virtualNetwork(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String id = base(request) + "/virtualNetworks/" + request.var("vnet");
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
        return accepted(request, existing == null ? 201 : 200, withSubnets(vnet), op, region);
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
    String vnetId = base(request) + "/virtualNetworks/" + request.var("vnet");
    if (arm.store().get(vnetId) == null) {
      throw ArmException.notFound(VNET_TYPE, request.var("vnet"), request.var("rg"));
    }
    List<ObjectNode> views = new ArrayList<>();
    arm.store().children(vnetId, "subnets").forEach(s -> views.add(subnetView(s)));
    return ArmResponse.ok(ArmContext.list(views));
  }

  private ArmResponse subnet(ArmRequest request) {
    String vnetId = base(request) + "/virtualNetworks/" + request.var("vnet");
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
    return accepted(request, existed ? 200 : 201, subnetView(subnet), op, region);
  }

  // ---- private endpoints ----

  private ArmResponse listEndpoints(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    return ArmResponse.ok(
        ArmContext.list(
            arm.store()
                .list(
                    k ->
                        k.startsWith(ResourceStore.key(base(request)) + "/privateendpoints/")
                            && k.indexOf(
                                    '/',
                                    (ResourceStore.key(base(request)) + "/privateendpoints/")
                                        .length())
                                < 0)));
  }

  private ArmResponse endpoint(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String id = base(request) + "/privateEndpoints/" + request.var("pe");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(ENDPOINT_TYPE, request.var("pe"), request.var("rg"));
        }
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        return putEndpoint(request, id, existing);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        String region = Json.text(existing, "/location");
        arm.requireRegionUp(region);
        Json.child(existing, "properties").put("provisioningState", "Deleting");
        ObjectNode op = arm.startOperation(request, "privateEndpoint", "delete", id, region);
        return acceptedDelete(request, op, region);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private ArmResponse putEndpoint(ArmRequest request, String id, ObjectNode existing) {
    ObjectNode body = request.bodyObject();
    String region = Regions.require(Json.text(body, "/location"), ENDPOINT_TYPE);
    arm.requireRegionUp(region);
    if (existing != null) {
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
    String subnetId = Json.text(body, "/properties/subnet/id");
    ObjectNode subnet = subnetId == null ? null : arm.store().get(subnetId);
    if (subnet == null) {
      throw ArmException.badRequest(
          "InvalidResourceReference",
          "Resource " + subnetId + " referenced by resource " + id + " was not found.");
    }
    if (existing != null
        && !subnetId.equalsIgnoreCase(Json.text(existing, "/properties/subnet/id"))) {
      throw ArmException.badRequest(
          "CannotChangeSubnetOfPrivateEndpoint",
          "The subnet of private endpoint '" + request.var("pe") + "' cannot change.");
    }
    JsonNode connections = body.path("properties").path("privateLinkServiceConnections");
    boolean manual = false;
    if (!connections.isArray() || connections.isEmpty()) {
      connections = body.path("properties").path("manualPrivateLinkServiceConnections");
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

    List<String> fqdns = fqdnsOf(registry);
    List<String> ips = new ArrayList<>();
    for (String fqdn : fqdns) {
      String ip = subnets.allocate(subnetId, owner(id, fqdn));
      if (ip == null) {
        if (existing == null) {
          // A refused create leaves no address behind.
          subnets.release(subnetId, o -> o.startsWith(ResourceStore.key(id) + "|"));
        }
        throw ArmException.badRequest(
            "SubnetIsFull",
            "Subnet " + subnetId + " has no free private IP address for " + fqdn + ".");
      }
      ips.add(ip);
    }

    ObjectNode endpoint = ArmContext.resource(id, request.var("pe"), ENDPOINT_TYPE, region);
    endpoint.put("etag", "W/\"" + UUID.randomUUID() + "\"");
    if (body.has("tags")) {
      endpoint.set("tags", body.get("tags"));
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
    ObjectNode state = cProps.putObject("privateLinkServiceConnectionState");
    state.put("status", manual ? "Pending" : "Approved");
    state.put("description", manual ? "Awaiting approval" : "Auto-Approved");
    state.put("actionsRequired", "None");
    props.putObject("subnet").put("id", subnetId);
    props
        .putArray("networkInterfaces")
        .addObject()
        .put(
            "id",
            base(request)
                + "/networkInterfaces/"
                + request.var("pe")
                + ".nic."
                + props.get("resourceGuid").asText());
    props.put("customNetworkInterfaceName", "");
    props.putArray("ipConfigurations");
    props.putArray("applicationSecurityGroups");
    ArrayNode dnsConfigs = props.putArray("customDnsConfigs");
    for (int i = 0; i < fqdns.size(); i++) {
      ObjectNode config = dnsConfigs.addObject();
      config.put("fqdn", fqdns.get(i));
      config.putArray("ipAddresses").add(ips.get(i));
    }
    arm.store().put(id, endpoint);
    upsertRegistryConnection(registry, endpoint, manual ? "Pending" : "Approved");

    ObjectNode op =
        arm.startOperation(
            request, "privateEndpoint", existing == null ? "create" : "update", id, region);
    return accepted(request, existing == null ? 201 : 200, endpoint, op, region);
  }

  private static String owner(String endpointId, String fqdn) {
    return ResourceStore.key(endpointId) + "|" + fqdn;
  }

  /**
   * The registry's FQDNs as Azure publishes them now: login server, then each ready region's data
   * endpoint.
   */
  private List<String> fqdnsOf(ObjectNode registry) {
    List<String> fqdns = new ArrayList<>();
    fqdns.add(Json.text(registry, "/properties/loginServer"));
    String name = registry.get("name").asText();
    for (ObjectNode replica : arm.store().children(registry.get("id").asText(), "replications")) {
      String replicaState = Json.text(replica, "/properties/provisioningState");
      if ("Succeeded".equals(replicaState)
          || Json.text(replica, "/location").equals(Json.text(registry, "/location"))) {
        fqdns.add(ContainerRegistryApi.dataEndpoint(name, Json.text(replica, "/location")));
      }
    }
    return fqdns;
  }

  private void upsertRegistryConnection(ObjectNode registry, ObjectNode endpoint, String status) {
    ArrayNode list =
        Json.childArray(Json.child(registry, "properties"), "privateEndpointConnections");
    String endpointId = endpoint.get("id").asText();
    ObjectNode connection = null;
    for (JsonNode existing : list) {
      if (endpointId.equalsIgnoreCase(Json.text(existing, "/properties/privateEndpoint/id"))) {
        connection = (ObjectNode) existing;
      }
    }
    if (connection == null) {
      connection = list.addObject();
      String name =
          endpoint.get("name").asText() + "." + UUID.nameUUIDFromBytes(endpointId.getBytes());
      connection.put("id", registry.get("id").asText() + "/privateEndpointConnections/" + name);
      connection.put("name", name);
      connection.put("type", "Microsoft.ContainerRegistry/registries/privateEndpointConnections");
    }
    ObjectNode props = Json.child(connection, "properties");
    props.putObject("privateEndpoint").put("id", endpointId);
    ObjectNode state = props.putObject("privateLinkServiceConnectionState");
    state.put("status", status);
    state.put("description", status.equals("Approved") ? "Auto-Approved" : "Awaiting re-approval");
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

  @Override
  public String reserveForRegion(String registryId, String fqdn) {
    List<ObjectNode> endpoints = endpointsOf(registryId);
    for (ObjectNode endpoint : endpoints) {
      String subnetId = Json.text(endpoint, "/properties/subnet/id");
      if (subnets.addressOf(subnetId, owner(endpoint.get("id").asText(), fqdn)) == null
          && subnets.free(subnetId) < 1) {
        return subnetId;
      }
    }
    for (ObjectNode endpoint : endpoints) {
      subnets.allocate(
          Json.text(endpoint, "/properties/subnet/id"), owner(endpoint.get("id").asText(), fqdn));
    }
    return null;
  }

  @Override
  public void releaseForRegion(String registryId, String fqdn) {
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      String owner = owner(endpoint.get("id").asText(), fqdn);
      subnets.release(Json.text(endpoint, "/properties/subnet/id"), owner::equals);
    }
  }

  @Override
  public void replicaAdded(String registryId, String region) {
    ObjectNode registry = arm.store().get(registryId);
    for (ObjectNode endpoint : endpointsOf(registryId)) {
      for (JsonNode c : endpoint.path("properties").path("privateLinkServiceConnections")) {
        ObjectNode state =
            (ObjectNode) c.path("properties").path("privateLinkServiceConnectionState");
        state.put("status", "Pending");
        state.put(
            "description", "A replica was added in " + region + "; re-apply the private endpoint.");
      }
      if (registry != null) {
        upsertRegistryConnection(registry, endpoint, "Pending");
      }
    }
    arm.store().markDirty();
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

  private final class EndpointCompletion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode endpoint = arm.store().get(id);
      if (endpoint == null) {
        return;
      }
      if (op.get("action").asText().equals("delete")) {
        for (ObjectNode group : arm.store().children(id, "privateDnsZoneGroups")) {
          removeGroupRecords(group);
        }
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

  // ---- private DNS zone groups ----

  private ObjectNode requireEndpoint(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode endpoint = arm.store().get(base(request) + "/privateEndpoints/" + request.var("pe"));
    if (endpoint == null) {
      throw ArmException.notFound(ENDPOINT_TYPE, request.var("pe"), request.var("rg"));
    }
    return endpoint;
  }

  private ArmResponse listZoneGroups(ArmRequest request) {
    ObjectNode endpoint = requireEndpoint(request);
    return ArmResponse.ok(
        ArmContext.list(arm.store().children(endpoint.get("id").asText(), "privateDnsZoneGroups")));
  }

  private ArmResponse zoneGroup(ArmRequest request) {
    ObjectNode endpoint = requireEndpoint(request);
    String id = endpoint.get("id").asText() + "/privateDnsZoneGroups/" + request.var("group");
    ObjectNode existing = arm.store().get(id);
    String region = Json.text(endpoint, "/location");
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(
              ZONE_GROUP_TYPE, request.var("pe") + "/" + request.var("group"), request.var("rg"));
        }
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        if (!"Succeeded".equals(Json.text(endpoint, "/properties/provisioningState"))) {
          throw ArmException.badRequest(
              "ReferencedResourceNotProvisioned",
              "Cannot proceed with operation because resource "
                  + endpoint.get("id").asText()
                  + " used by resource "
                  + id
                  + " is not in Succeeded state.");
        }
        ObjectNode group = ArmContext.resource(id, request.var("group"), ZONE_GROUP_TYPE, null);
        group.put("etag", "W/\"" + UUID.randomUUID() + "\"");
        ObjectNode props = group.putObject("properties");
        props.put("provisioningState", "Updating");
        ArrayNode configs = props.putArray("privateDnsZoneConfigs");
        for (JsonNode requested :
            request.bodyObject().path("properties").path("privateDnsZoneConfigs")) {
          String zoneId = Json.text(requested, "/properties/privateDnsZoneId");
          if (zoneId == null || arm.store().get(zoneId) == null) {
            throw ArmException.badRequest(
                "InvalidResourceReference",
                "Resource " + zoneId + " referenced by resource " + id + " was not found.");
          }
          ObjectNode config = configs.addObject();
          String name =
              requested
                  .path("name")
                  .asText(zoneId.substring(zoneId.lastIndexOf('/') + 1).replace('.', '-'));
          config.put("name", name);
          config.put("id", id + "/privateDnsZoneConfigs/" + name);
          ObjectNode cProps = config.putObject("properties");
          cProps.put("privateDnsZoneId", zoneId);
          cProps.putArray("recordSets");
        }
        if (existing != null) {
          removeGroupRecords(existing);
        }
        arm.store().put(id, group);
        ObjectNode op =
            arm.startOperation(
                request, "privateDnsZoneGroup", existing == null ? "create" : "update", id, region);
        return accepted(request, existing == null ? 201 : 200, group, op, region);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        removeGroupRecords(existing);
        arm.store().remove(id);
        return ArmResponse.empty(200);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private final class ZoneGroupCompletion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode group = arm.store().get(id);
      if (group == null) {
        return;
      }
      String endpointId =
          id.substring(0, id.toLowerCase(Locale.ROOT).indexOf("/privatednszonegroups/"));
      ObjectNode endpoint = arm.store().get(endpointId);
      if (endpoint != null) {
        writeGroupRecords(group, endpoint);
      }
      Json.child(group, "properties").put("provisioningState", "Succeeded");
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      ObjectNode group = arm.store().get(op.get("resourceId").asText());
      if (group != null) {
        Json.child(group, "properties").put("provisioningState", "Failed");
      }
    }
  }

  /** Writes an A record per FQDN the endpoint lists now, into every zone of the group. */
  private void writeGroupRecords(ObjectNode group, ObjectNode endpoint) {
    for (JsonNode config : group.path("properties").path("privateDnsZoneConfigs")) {
      String zoneId = Json.text(config, "/properties/privateDnsZoneId");
      String zoneName = zoneId.substring(zoneId.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      ArrayNode recordSets = ((ObjectNode) config.get("properties")).putArray("recordSets");
      for (JsonNode dnsConfig : endpoint.path("properties").path("customDnsConfigs")) {
        String fqdn = dnsConfig.get("fqdn").asText();
        String relative = relativeName(fqdn, zoneName);
        List<String> ips = new ArrayList<>();
        dnsConfig.path("ipAddresses").forEach(ip -> ips.add(ip.asText()));
        if (ips.isEmpty()) {
          continue;
        }
        dns.upsertARecord(zoneId, relative, ips);
        ObjectNode set = recordSets.addObject();
        set.put("recordType", "A");
        set.put("recordSetName", relative);
        set.put("fqdn", relative + "." + zoneName);
        set.put("provisioningState", "Succeeded");
        set.put("ttl", 10);
        ArrayNode addresses = set.putArray("ipAddresses");
        ips.forEach(addresses::add);
      }
    }
    arm.store().markDirty();
  }

  private void removeGroupRecords(ObjectNode group) {
    for (JsonNode config : group.path("properties").path("privateDnsZoneConfigs")) {
      String zoneId = Json.text(config, "/properties/privateDnsZoneId");
      for (JsonNode set : config.path("properties").path("recordSets")) {
        dns.deleteRecord(zoneId + "/A/" + set.get("recordSetName").asText());
      }
    }
  }

  /** "contoso.westus.data.azurecr.io" in zone "privatelink.azurecr.io" is "contoso.westus.data". */
  static String relativeName(String fqdn, String zoneName) {
    String publicSuffix =
        zoneName.startsWith("privatelink.")
            ? zoneName.substring("privatelink.".length())
            : zoneName;
    String lower = fqdn.toLowerCase(Locale.ROOT);
    if (lower.endsWith("." + publicSuffix)) {
      return lower.substring(0, lower.length() - publicSuffix.length() - 1);
    }
    return lower;
  }
}
