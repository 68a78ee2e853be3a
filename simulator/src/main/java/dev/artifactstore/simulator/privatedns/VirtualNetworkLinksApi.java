package dev.artifactstore.simulator.privatedns;

import static dev.artifactstore.simulator.privatedns.PrivateDnsApi.NAMESPACE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.Set;
import java.util.UUID;

/** A zone's virtual network links: each names an existing virtual network. */
final class VirtualNetworkLinksApi {
  static final String LINK_TYPE = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";

  private final ArmContext arm;

  VirtualNetworkLinksApi(ArmContext arm, Router router) {
    this.arm = arm;
    String zone = PrivateDnsApi.GROUP_PATH + "/privateDnsZones/{zone}";
    router.add(zone + "/virtualNetworkLinks", Set.of("GET"), NAMESPACE, LINK_TYPE, this::listLinks);
    router.add(
        zone + "/virtualNetworkLinks/{link}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        LINK_TYPE,
        this::link);
    arm.operations()
        .register(
            "virtualNetworkLink",
            PrivateDnsApi.completion(
                arm, props -> props.put("virtualNetworkLinkState", "Completed")));
  }

  private ArmResponse listLinks(ArmRequest request) {
    ObjectNode zone = PrivateDnsApi.requireZone(arm, request);
    return ArmResponse.ok(
        ArmContext.list(arm.store().children(zone.get("id").asText(), "virtualNetworkLinks")));
  }

  private ArmResponse link(ArmRequest request) {
    ObjectNode zone = PrivateDnsApi.requireZone(arm, request);
    String id = zone.get("id").asText() + "/virtualNetworkLinks/" + request.var("link");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(
              LINK_TYPE, request.var("zone") + "/" + request.var("link"), request.var("rg"));
        }
        return ArmResponse.ok(existing);
      }
      case "PATCH" -> {
        if (existing == null) {
          throw ArmException.notFound(
              LINK_TYPE, request.var("zone") + "/" + request.var("link"), request.var("rg"));
        }
        PrivateDnsApi.checkPreconditions(request, existing);
        ObjectNode body = request.bodyObject();
        if (body.has("tags")) {
          existing.set("tags", body.get("tags"));
        }
        if (body.path("properties").has("registrationEnabled")) {
          Json.child(existing, "properties")
              .set("registrationEnabled", body.path("properties").get("registrationEnabled"));
        }
        existing.put("etag", UUID.randomUUID().toString());
        Json.child(existing, "properties").put("provisioningState", "Updating");
        ObjectNode op = arm.startOperation(request, "virtualNetworkLink", "update", id, "global");
        return PrivateDnsApi.accepted(arm, request, op);
      }
      case "PUT" -> {
        PrivateDnsApi.checkPreconditions(request, existing);
        ObjectNode body = request.bodyObject();
        String vnet = Json.text(body, "/properties/virtualNetwork/id");
        if (vnet == null || arm.store().get(vnet) == null) {
          throw ArmException.badRequest(
              "InvalidResourceReference",
              "Virtual network '" + vnet + "' referenced by the link was not found.");
        }
        ObjectNode link = ArmContext.resource(id, request.var("link"), LINK_TYPE, "global");
        link.put("etag", UUID.randomUUID().toString());
        ObjectNode props = link.putObject("properties");
        props.putObject("virtualNetwork").put("id", vnet);
        props.put(
            "registrationEnabled",
            body.path("properties").path("registrationEnabled").asBoolean(false));
        props.put("virtualNetworkLinkState", "InProgress");
        props.put("provisioningState", "Updating");
        if (body.has("tags")) {
          link.set("tags", body.get("tags"));
        }
        arm.store().put(id, link);
        ObjectNode op =
            arm.startOperation(
                request,
                "virtualNetworkLink",
                existing == null ? "create" : "update",
                id,
                "global");
        return PrivateDnsApi.accepted(arm, request, op);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        ObjectNode op = arm.startOperation(request, "virtualNetworkLink", "delete", id, "global");
        return PrivateDnsApi.accepted(arm, request, op);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }
}
