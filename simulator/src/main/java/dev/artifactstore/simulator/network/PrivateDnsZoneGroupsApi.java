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
import dev.artifactstore.simulator.privatedns.PrivateDnsApi;
import dev.artifactstore.simulator.state.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A private endpoint's DNS zone group: when its operation ends, Azure writes an A record for every
 * FQDN the endpoint lists at that moment into each zone of the group, and reports them. An endpoint
 * has at most one group, of any name, with at most five zones (private endpoint DNS documentation:
 * "Adding multiple DNS zone groups to a single private endpoint is not supported", "each DNS zone
 * group can support up to 5 DNS zones").
 */
final class PrivateDnsZoneGroupsApi {
  static final String ZONE_GROUP_TYPE = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";
  static final int MAX_ZONES = 5;

  private final ArmContext arm;
  private final PrivateDnsApi dns;

  PrivateDnsZoneGroupsApi(ArmContext arm, Router router, PrivateDnsApi dns) {
    this.arm = arm;
    this.dns = dns;
    String endpoint = NetworkApi.GROUP_PATH + "/privateEndpoints/{pe}";
    router.add(
        endpoint + "/privateDnsZoneGroups",
        Set.of("GET"),
        NetworkApi.NAMESPACE,
        ZONE_GROUP_TYPE,
        this::list);
    router.add(
        endpoint + "/privateDnsZoneGroups/{group}",
        Set.of("GET", "PUT", "DELETE"),
        NetworkApi.NAMESPACE,
        ZONE_GROUP_TYPE,
        this::zoneGroup);
    arm.operations().register("privateDnsZoneGroup", new Completion());
  }

  private ObjectNode requireEndpoint(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode endpoint =
        arm.store().get(NetworkApi.base(request) + "/privateEndpoints/" + request.var("pe"));
    if (endpoint == null) {
      throw ArmException.notFound(
          PrivateEndpointsApi.ENDPOINT_TYPE, request.var("pe"), request.var("rg"));
    }
    return endpoint;
  }

  private ArmResponse list(ArmRequest request) {
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
        return put(request, endpoint, id, existing, region);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        arm.requireRegionUp(region);
        Json.child(existing, "properties").put("provisioningState", "Deleting");
        ObjectNode op = arm.startOperation(request, "privateDnsZoneGroup", "delete", id, region);
        return NetworkApi.acceptedDelete(arm, request, op, region);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private ArmResponse put(
      ArmRequest request, ObjectNode endpoint, String id, ObjectNode existing, String region) {
    String endpointId = endpoint.get("id").asText();
    if (!"Succeeded".equals(Json.text(endpoint, "/properties/provisioningState"))) {
      throw ArmException.badRequest(
          "ReferencedResourceNotProvisioned",
          "Cannot proceed with operation because resource "
              + endpointId
              + " used by resource "
              + id
              + " is not in Succeeded state.");
    }
    for (ObjectNode other : arm.store().children(endpointId, "privateDnsZoneGroups")) {
      if (!other.get("name").asText().equalsIgnoreCase(request.var("group"))) {
        // The code Azure sends with this message is not documented; the message is.
        throw ArmException.badRequest(
            "BadRequest",
            "Cannot create more than one private dns zone groups in the private endpoint "
                + request.var("pe")
                + ".");
      }
    }
    if (existing != null
        && !"Succeeded".equals(Json.text(existing, "/properties/provisioningState"))
        && !"Failed".equals(Json.text(existing, "/properties/provisioningState"))) {
      throw ArmException.conflict(
          "AnotherOperationInProgress",
          "Private DNS zone group '"
              + request.var("group")
              + "' is "
              + Json.text(existing, "/properties/provisioningState")
              + "; retry when it has finished.");
    }
    JsonNode requested = request.bodyObject().path("properties").path("privateDnsZoneConfigs");
    if (requested.size() > MAX_ZONES) {
      throw ArmException.badRequest(
          "BadRequest",
          "A private DNS zone group supports at most "
              + MAX_ZONES
              + " private DNS zone configurations; "
              + requested.size()
              + " were given.");
    }
    ObjectNode group = ArmContext.resource(id, request.var("group"), ZONE_GROUP_TYPE, null);
    group.put("etag", "W/\"" + UUID.randomUUID() + "\"");
    ObjectNode props = group.putObject("properties");
    props.put("provisioningState", "Updating");
    ArrayNode configs = props.putArray("privateDnsZoneConfigs");
    Set<String> names = new HashSet<>();
    for (JsonNode config : requested) {
      String zoneId = Json.text(config, "/properties/privateDnsZoneId");
      if (zoneId == null || arm.store().get(zoneId) == null) {
        throw ArmException.badRequest(
            "InvalidResourceReference",
            "Resource " + zoneId + " referenced by resource " + id + " was not found.");
      }
      String name =
          config
              .path("name")
              .asText(zoneId.substring(zoneId.lastIndexOf('/') + 1).replace('.', '-'));
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw ArmException.badRequest(
            "InvalidRequestFormat",
            "Resource " + id + " has two child resources with the same name (" + name + ").");
      }
      ObjectNode stored = configs.addObject();
      stored.put("name", name);
      stored.put("id", id + "/privateDnsZoneConfigs/" + name);
      ObjectNode storedProps = stored.putObject("properties");
      storedProps.put("privateDnsZoneId", zoneId);
      storedProps.putArray("recordSets");
    }
    if (existing != null) {
      removeRecords(existing);
    }
    arm.store().put(id, group);
    ObjectNode op =
        arm.startOperation(
            request, "privateDnsZoneGroup", existing == null ? "create" : "update", id, region);
    return NetworkApi.accepted(arm, request, existing == null ? 201 : 200, group, op, region);
  }

  /** The endpoint is being deleted: its group's records go with it. */
  void endpointDeleted(String endpointId) {
    for (ObjectNode group : arm.store().children(endpointId, "privateDnsZoneGroups")) {
      removeRecords(group);
    }
  }

  private final class Completion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode group = arm.store().get(id);
      if (group == null) {
        return;
      }
      if (op.get("action").asText().equals("delete")) {
        removeRecords(group);
        arm.store().remove(id);
        return;
      }
      String endpointId =
          id.substring(0, id.toLowerCase(Locale.ROOT).indexOf("/privatednszonegroups/"));
      ObjectNode endpoint = arm.store().get(endpointId);
      if (endpoint != null) {
        writeRecords(group, endpoint);
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
  private void writeRecords(ObjectNode group, ObjectNode endpoint) {
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
    arm.store().changed(group);
  }

  private void removeRecords(ObjectNode group) {
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
