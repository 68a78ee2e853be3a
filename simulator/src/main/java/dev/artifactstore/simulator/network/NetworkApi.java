package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.privatedns.PrivateDnsApi;

/**
 * Microsoft.Network: virtual networks and subnets, private endpoints to registries, their private
 * link service connections and their private DNS zone groups, one class per resource; this class
 * wires them and holds what their answers share (resource paths, operation URLs).
 */
public final class NetworkApi {
  static final String NAMESPACE = "Microsoft.Network";
  static final String GROUP_PATH =
      "/subscriptions/{sub}/resourceGroups/{rg}/providers/" + NAMESPACE;

  private final PrivateLinkConnections links;

  public NetworkApi(ArmContext arm, Router router, PrivateDnsApi dns) {
    Subnets subnets = new Subnets(arm.store());
    new VirtualNetworksApi(arm, router, subnets);
    PrivateDnsZoneGroupsApi groups = new PrivateDnsZoneGroupsApi(arm, router, dns);
    this.links = new PrivateLinkConnections(arm, subnets);
    new PrivateEndpointsApi(arm, router, subnets, groups, links);
  }

  /** How the registry provider tells the endpoints of a registry about its regions. */
  public PrivateLinkHooks privateLinkHooks() {
    return links;
  }

  static String base(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/"
        + NAMESPACE;
  }

  private static String statusUrl(ArmRequest request, String region, ObjectNode op) {
    return "/subscriptions/"
        + request.var("sub")
        + "/providers/Microsoft.Network/locations/"
        + region
        + "/operations/"
        + op.get("id").asText();
  }

  /** A long-running PUT accepted: 200/201 with Azure-AsyncOperation, as the network RP answers. */
  static ArmResponse accepted(
      ArmContext arm,
      ArmRequest request,
      int status,
      ObjectNode body,
      ObjectNode op,
      String region) {
    return arm.accepted(request, status, body, op, statusUrl(request, region, op));
  }

  /** A long-running DELETE accepted: 202 with Location and Azure-AsyncOperation. */
  static ArmResponse acceptedDelete(
      ArmContext arm, ArmRequest request, ObjectNode op, String region) {
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
}
