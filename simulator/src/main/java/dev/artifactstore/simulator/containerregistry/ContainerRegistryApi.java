package dev.artifactstore.simulator.containerregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.time.Duration;
import java.util.Locale;

/**
 * Microsoft.ContainerRegistry: registry names, registries, their replications and their private
 * endpoint connections, one class per resource; this class wires them and holds what their answers
 * share (resource paths, delete answers, zone redundancy).
 */
public final class ContainerRegistryApi {
  static final String NAMESPACE = "Microsoft.ContainerRegistry";
  static final String REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
  static final String REPLICATION_TYPE = "Microsoft.ContainerRegistry/registries/replications";
  static final String GROUP_PATH =
      "/subscriptions/{sub}/resourceGroups/{rg}/providers/" + NAMESPACE;

  public ContainerRegistryApi(
      ArmContext arm, Router router, PrivateLinkHooks privateLink, Duration replicaCooldown) {
    Replicas replicas = new Replicas(arm);
    new NameAvailabilityApi(arm, router);
    new RegistriesApi(arm, router, privateLink, replicas);
    new ReplicationsApi(arm, router, privateLink, replicas, replicaCooldown);
    new PrivateEndpointConnectionsApi(arm, router, privateLink);
  }

  public static String dataEndpoint(String registryName, String region) {
    return registryName.toLowerCase(Locale.ROOT) + "." + region + ".data.azurecr.io";
  }

  static String registryId(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + request.var("name");
  }

  static ObjectNode requireRegistry(ArmContext arm, ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode registry = arm.store().get(registryId(request));
    if (registry == null) {
      throw ArmException.notFound(REGISTRY_TYPE, request.var("name"), request.var("rg"));
    }
    return registry;
  }

  /**
   * Marks the resource Deleting and answers 202 with ACR's Location: the registry's operation
   * result, or for a replication its own operation status (as the REST specs' examples show).
   */
  static ArmResponse acceptedDelete(
      ArmContext arm, ArmRequest request, String type, ObjectNode resource, String region) {
    arm.requireRegionUp(region);
    Json.child(resource, "properties").put("provisioningState", "Deleting");
    String id = resource.get("id").asText();
    ObjectNode op = arm.startOperation(request, type, "delete", id, region);
    String location =
        type.equals("replication")
            ? id + "/operationStatuses/" + op.get("id").asText()
            : "/subscriptions/"
                + request.var("sub")
                + "/providers/Microsoft.ContainerRegistry/locations/"
                + region
                + "/operationResults/"
                + op.get("id").asText();
    return arm.acceptedDelete(request, op, location);
  }

  static String zoneRedundancy(ObjectNode body, String region, String what) {
    String zoneRedundancy = body.path("properties").path("zoneRedundancy").asText("Disabled");
    if (!zoneRedundancy.equals("Enabled") && !zoneRedundancy.equals("Disabled")) {
      throw ArmException.badRequest(
          "InvalidZoneRedundancy", "zoneRedundancy must be Enabled or Disabled.");
    }
    if (zoneRedundancy.equals("Enabled") && !Regions.hasZones(region)) {
      throw ArmException.badRequest(
          "ZoneRedundancyNotSupported",
          "Zone redundancy is not supported for a "
              + what
              + " in region '"
              + region
              + "': the region has no availability zones.");
    }
    return zoneRedundancy;
  }

  /**
   * Zone redundancy is chosen at creation and never changes (400 ZoneRedundancyCannotBeUpdated).
   */
  static void requireSameZoneRedundancy(String what, ObjectNode resource, JsonNode requested) {
    if (requested.has("zoneRedundancy")
        && !requested
            .get("zoneRedundancy")
            .asText()
            .equals(Json.text(resource, "/properties/zoneRedundancy"))) {
      throw ArmException.badRequest(
          "ZoneRedundancyCannotBeUpdated",
          "Zone redundancy of "
              + what
              + " '"
              + resource.get("name").asText()
              + "' cannot be changed after creation.");
    }
  }
}
