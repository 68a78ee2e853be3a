package dev.artifactstore.simulator.privatedns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Microsoft.Network/privateDnsZones: zones, their virtual network links and their record sets, one
 * class per resource; this class wires them and holds what their answers share (zone paths,
 * preconditions, the answer to a long-running write, the end of its operation).
 */
public final class PrivateDnsApi {
  static final String NAMESPACE = "Microsoft.Network/privateDnsZones";
  static final String ZONE_TYPE = "Microsoft.Network/privateDnsZones";
  static final String GROUP_PATH =
      "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network";

  private final RecordSetsApi records;

  public PrivateDnsApi(ArmContext arm, Router router) {
    new PrivateDnsZonesApi(arm, router);
    new VirtualNetworkLinksApi(arm, router);
    this.records = new RecordSetsApi(arm, router);
  }

  /**
   * Writes an A record set for a private endpoint's zone group, as Azure does when the group is
   * written. Returns the record set's id.
   */
  public String upsertARecord(String zoneId, String relativeName, List<String> ips) {
    return records.upsertARecord(zoneId, relativeName, ips);
  }

  public void deleteRecord(String recordId) {
    records.deleteRecord(recordId);
  }

  /**
   * How a zone's or a link's operation ends: a deleted resource goes with what is under it, and one
   * written is Succeeded, after {@code whenSucceeded} has seen its properties.
   */
  static Operations.Completion completion(ArmContext arm, Consumer<ObjectNode> whenSucceeded) {
    return new Operations.Completion() {
      @Override
      public void succeeded(ObjectNode op) {
        String id = op.get("resourceId").asText();
        if (op.get("action").asText().equals("delete")) {
          arm.store().removeTree(id);
          return;
        }
        ObjectNode doc = arm.store().get(id);
        if (doc != null) {
          ObjectNode props = Json.child(doc, "properties");
          props.put("provisioningState", "Succeeded");
          whenSucceeded.accept(props);
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
  }

  static String zoneId(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/Microsoft.Network/privateDnsZones/"
        + request.var("zone").toLowerCase(Locale.ROOT);
  }

  static ObjectNode requireZone(ArmContext arm, ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode zone = arm.store().get(zoneId(request));
    if (zone == null) {
      throw ArmException.notFound(ZONE_TYPE, request.var("zone"), request.var("rg"));
    }
    return zone;
  }

  /**
   * 202 with both poll URLs and Retry-After, as private DNS answers every long-running write (seen
   * in live recordings).
   */
  static ArmResponse accepted(ArmContext arm, ArmRequest request, ObjectNode op) {
    String base =
        "/subscriptions/"
            + request.var("sub")
            + "/resourceGroups/"
            + request.var("rg")
            + "/providers/Microsoft.Network/";
    String id = op.get("id").asText();
    return ArmResponse.empty(202)
        .header(
            "Azure-AsyncOperation",
            ArmContext.absolute(request, base + "privateDnsOperationStatuses/" + id))
        .header("Location", ArmContext.absolute(request, base + "privateDnsOperationResults/" + id))
        .header("Retry-After", Long.toString(arm.operations().retryAfterSeconds(op)));
  }

  static void checkPreconditions(ArmRequest request, ObjectNode existing) {
    String ifMatch = request.header("If-Match");
    String ifNoneMatch = request.header("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.equals("*") && existing != null) {
      throw new ArmException(
          412, "PreconditionFailed", "The resource already exists (If-None-Match: *).");
    }
    if (ifMatch != null && !ifMatch.equals("*")) {
      String etag = existing == null ? null : Json.text(existing, "/etag");
      if (etag == null || !etag.equals(ifMatch.replace("\"", ""))) {
        throw new ArmException(
            412,
            "PreconditionFailed",
            "The etag '" + ifMatch + "' does not match the resource's current etag.");
      }
    } else if ("*".equals(ifMatch) && existing == null) {
      throw new ArmException(
          412, "PreconditionFailed", "The resource does not exist (If-Match: *).");
    }
  }
}
