package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.state.Json;

/**
 * A private endpoint PUT that Azure accepts: a region that is up, a subnet in the endpoint's region
 * and subscription, exactly one connection to a registry's "registry" group, and on an existing
 * endpoint the same location, subnet and network interface name, with no operation running.
 *
 * @param properties the body's properties
 * @param connection the one private link service connection asked for
 * @param manual whether the connection waits for approval on the registry
 */
record PrivateEndpointRequest(
    ObjectNode body,
    JsonNode properties,
    String region,
    String subnetId,
    String nicName,
    JsonNode connection,
    boolean manual,
    ObjectNode registry) {

  static PrivateEndpointRequest check(
      ArmContext arm, ArmRequest request, String id, ObjectNode existing) {
    ObjectNode body = request.bodyObject();
    JsonNode requested = body.path("properties");
    String region =
        Regions.require(Json.text(body, "/location"), PrivateEndpointsApi.ENDPOINT_TYPE);
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
    if (subnet == null || !inNetworkOf(arm, id, region, subnetId)) {
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
    return new PrivateEndpointRequest(
        body, requested, region, subnetId, nicName, connection, manual, registry);
  }

  /** Whether the subnet's virtual network is in the endpoint's region and subscription. */
  private static boolean inNetworkOf(
      ArmContext arm, String endpointId, String region, String subnetId) {
    String[] endpointParts = endpointId.split("/");
    String[] subnetParts = subnetId.split("/");
    if (subnetParts.length < 11 || !endpointParts[2].equalsIgnoreCase(subnetParts[2])) {
      return false;
    }
    ObjectNode vnet =
        arm.store().get(subnetId.substring(0, subnetId.toLowerCase().indexOf("/subnets/")));
    return vnet != null && region.equals(ArmContext.normaliseRegion(Json.text(vnet, "/location")));
  }

  private static String nicOf(ObjectNode endpoint) {
    String nic = Json.text(endpoint, "/properties/networkInterfaces/0/id");
    return nic == null ? "" : nic.substring(nic.lastIndexOf('/') + 1);
  }
}
