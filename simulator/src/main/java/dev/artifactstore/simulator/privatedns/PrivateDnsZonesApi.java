package dev.artifactstore.simulator.privatedns;

import static dev.artifactstore.simulator.privatedns.PrivateDnsApi.NAMESPACE;
import static dev.artifactstore.simulator.privatedns.PrivateDnsApi.ZONE_TYPE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Private DNS zones: global, created with their SOA record set, deleted once no link is left. */
final class PrivateDnsZonesApi {
  private final ArmContext arm;

  PrivateDnsZonesApi(ArmContext arm, Router router) {
    this.arm = arm;
    String group = PrivateDnsApi.GROUP_PATH;
    router.add(group + "/privateDnsZones", Set.of("GET"), NAMESPACE, ZONE_TYPE, this::listZones);
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.Network/privateDnsZones",
        Set.of("GET"),
        NAMESPACE,
        ZONE_TYPE,
        this::listZones);
    router.add(
        group + "/privateDnsZones/{zone}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        ZONE_TYPE,
        this::zone);
    arm.operations().register("privateDnsZone", PrivateDnsApi.completion(arm, props -> {}));
  }

  private ArmResponse listZones(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String prefix =
        ("/subscriptions/"
                + request.var("sub")
                + "/resourcegroups/"
                + (request.var("rg") == null ? "" : request.var("rg") + "/"))
            .toLowerCase(Locale.ROOT);
    List<ObjectNode> zones =
        arm.store()
            .list(
                k ->
                    k.startsWith(prefix)
                        && ResourceStore.isOfType(
                            k, "/providers/microsoft.network/privatednszones/"));
    zones.forEach(this::refreshCounts);
    return ArmResponse.ok(ArmContext.list(zones));
  }

  private void refreshCounts(ObjectNode zone) {
    String id = zone.get("id").asText();
    String prefix = id.toLowerCase(Locale.ROOT) + "/";
    long records =
        arm.store()
            .list(k -> k.startsWith(prefix) && !k.startsWith(prefix + "virtualnetworklinks/"))
            .size();
    long links = arm.store().children(id, "virtualNetworkLinks").size();
    ObjectNode props = Json.child(zone, "properties");
    if (props.path("numberOfRecordSets").asLong(-1) == records
        && props.path("numberOfVirtualNetworkLinks").asLong(-1) == links) {
      return;
    }
    props.put("numberOfRecordSets", records);
    props.put("numberOfVirtualNetworkLinks", links);
    arm.store().changed(zone);
  }

  private ArmResponse zone(ArmRequest request) {
    String sub = request.var("sub");
    String rg = request.var("rg");
    String id = PrivateDnsApi.zoneId(request);
    switch (request.method()) {
      case "GET" -> {
        ObjectNode zone = PrivateDnsApi.requireZone(arm, request);
        refreshCounts(zone);
        return ArmResponse.ok(zone);
      }
      case "PUT", "PATCH" -> {
        arm.requireResourceGroup(sub, rg);
        ObjectNode existing = arm.store().get(id);
        PrivateDnsApi.checkPreconditions(request, existing);
        if (existing == null && request.method().equals("PATCH")) {
          throw ArmException.notFound(ZONE_TYPE, request.var("zone"), rg);
        }
        ObjectNode body = request.bodyObject();
        ObjectNode zone = existing;
        if (zone == null) {
          zone =
              ArmContext.resource(
                  id, request.var("zone").toLowerCase(Locale.ROOT), ZONE_TYPE, "global");
          ObjectNode props = zone.putObject("properties");
          props.put("maxNumberOfRecordSets", 25000);
          props.put("maxNumberOfVirtualNetworkLinks", 1000);
          props.put("maxNumberOfVirtualNetworkLinksWithRegistration", 100);
          props.put("numberOfRecordSets", 1);
          props.put("numberOfVirtualNetworkLinks", 0);
          props.put("numberOfVirtualNetworkLinksWithRegistration", 0);
          props.put("internalId", UUID.nameUUIDFromBytes(id.getBytes()).toString());
          arm.store().put(id, zone);
          ObjectNode soa = RecordSetsApi.soaRecordSet(zone);
          arm.store().put(soa.get("id").asText(), soa);
        }
        if (body.has("tags")) {
          zone.set("tags", body.get("tags"));
        }
        zone.put("etag", UUID.randomUUID().toString());
        Json.child(zone, "properties").put("provisioningState", "Updating");
        ObjectNode op =
            arm.startOperation(
                request, "privateDnsZone", existing == null ? "create" : "update", id, "global");
        return PrivateDnsApi.accepted(arm, request, op);
      }
      case "DELETE" -> {
        arm.requireResourceGroup(sub, rg);
        ObjectNode zone = arm.store().get(id);
        if (zone == null) {
          return ArmResponse.empty(204);
        }
        if (!arm.store().children(id, "virtualNetworkLinks").isEmpty()) {
          throw ArmException.badRequest(
              "CannotDeleteResource",
              "Cannot delete a Private DNS zone that has virtual network links; delete the links first.");
        }
        ObjectNode op = arm.startOperation(request, "privateDnsZone", "delete", id, "global");
        return PrivateDnsApi.accepted(arm, request, op);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }
}
