package dev.artifactstore.simulator.privatedns;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Set;
import java.util.UUID;

/** Microsoft.Network/privateDnsZones: zones, record sets and virtual network links. */
public final class PrivateDnsApi {
  static final String NAMESPACE = "Microsoft.Network/privateDnsZones";
  static final String ZONE_TYPE = "Microsoft.Network/privateDnsZones";
  static final String LINK_TYPE = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
  private static final Set<String> RECORD_TYPES =
      Set.of("A", "AAAA", "CNAME", "MX", "PTR", "SOA", "SRV", "TXT");

  private final ArmContext arm;

  public PrivateDnsApi(ArmContext arm, Router router) {
    this.arm = arm;
    String group = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network";
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
    router.add(
        group + "/privateDnsZones/{zone}/virtualNetworkLinks",
        Set.of("GET"),
        NAMESPACE,
        LINK_TYPE,
        this::listLinks);
    router.add(
        group + "/privateDnsZones/{zone}/virtualNetworkLinks/{link}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        LINK_TYPE,
        this::link);
    router.add(
        group + "/privateDnsZones/{zone}/{recordType}",
        Set.of("GET"),
        NAMESPACE,
        ZONE_TYPE + "/recordsets",
        this::listRecords);
    router.add(
        group + "/privateDnsZones/{zone}/{recordType}/{record}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        ZONE_TYPE + "/recordsets",
        this::record);
    Operations.Completion lifecycle =
        new Operations.Completion() {
          @Override
          public void succeeded(ObjectNode op) {
            String id = op.get("resourceId").asText();
            if (op.get("action").asText().equals("delete")) {
              arm.store().removeTree(id);
              return;
            }
            ObjectNode doc = arm.store().get(id);
            if (doc != null) {
              Json.child(doc, "properties").put("provisioningState", "Succeeded");
              if (doc.get("type").asText().equals(LINK_TYPE)) {
                Json.child(doc, "properties").put("virtualNetworkLinkState", "Completed");
              }
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
    arm.operations().register("privateDnsZone", lifecycle);
    arm.operations().register("virtualNetworkLink", lifecycle);
  }

  private static String zoneId(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/Microsoft.Network/privateDnsZones/"
        + request.var("zone").toLowerCase(Locale.ROOT);
  }

  private ObjectNode requireZone(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode zone = arm.store().get(zoneId(request));
    if (zone == null) {
      throw ArmException.notFound(ZONE_TYPE, request.var("zone"), request.var("rg"));
    }
    return zone;
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
                        && k.matches(".*/providers/microsoft\\.network/privatednszones/[^/]+$"));
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
    props.put("numberOfRecordSets", records);
    props.put("numberOfVirtualNetworkLinks", links);
  }

  private ArmResponse zone(ArmRequest request) {
    String sub = request.var("sub");
    String rg = request.var("rg");
    String id = zoneId(request);
    switch (request.method()) {
      case "GET" -> {
        ObjectNode zone = requireZone(request);
        refreshCounts(zone);
        return ArmResponse.ok(zone);
      }
      case "PUT", "PATCH" -> {
        arm.requireResourceGroup(sub, rg);
        ObjectNode existing = arm.store().get(id);
        checkPreconditions(request, existing);
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
          ObjectNode soa = recordDocument(zone, "SOA", "@");
          ObjectNode soaRecord = Json.child(soa, "properties").putObject("soaRecord");
          soaRecord.put("email", "azureprivatedns-host.microsoft.com");
          soaRecord.put("expireTime", 2419200);
          soaRecord.put("host", "azureprivatedns.net");
          soaRecord.put("minimumTtl", 10);
          soaRecord.put("refreshTime", 3600);
          soaRecord.put("retryTime", 300);
          soaRecord.put("serialNumber", 1);
          Json.child(soa, "properties").put("ttl", 3600);
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
        return accepted(request, op);
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
        return accepted(request, op);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  /**
   * 202 with both poll URLs and Retry-After, as private DNS answers every long-running write (seen
   * in live recordings).
   */
  private ArmResponse accepted(ArmRequest request, ObjectNode op) {
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

  private static void checkPreconditions(ArmRequest request, ObjectNode existing) {
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

  // ---- virtual network links ----

  private ArmResponse listLinks(ArmRequest request) {
    ObjectNode zone = requireZone(request);
    return ArmResponse.ok(
        ArmContext.list(arm.store().children(zone.get("id").asText(), "virtualNetworkLinks")));
  }

  private ArmResponse link(ArmRequest request) {
    ObjectNode zone = requireZone(request);
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
        checkPreconditions(request, existing);
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
        return accepted(request, op);
      }
      case "PUT" -> {
        checkPreconditions(request, existing);
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
        return accepted(request, op);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        ObjectNode op = arm.startOperation(request, "virtualNetworkLink", "delete", id, "global");
        return accepted(request, op);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  // ---- record sets ----

  private static String recordType(ArmRequest request) {
    String type = request.var("recordType");
    if (type.equalsIgnoreCase("ALL") || type.equalsIgnoreCase("recordsets")) {
      return null;
    }
    String upper = type.toUpperCase(Locale.ROOT);
    if (!RECORD_TYPES.contains(upper)) {
      throw ArmException.badRequest(
          "InvalidRecordType", "Record type '" + type + "' is not supported.");
    }
    return upper;
  }

  private ObjectNode recordDocument(ObjectNode zone, String type, String name) {
    String relative = name.toLowerCase(Locale.ROOT);
    String id = zone.get("id").asText() + "/" + type + "/" + relative;
    ObjectNode record = ArmContext.resource(id, relative, ZONE_TYPE + "/" + type, null);
    record.put("etag", UUID.randomUUID().toString());
    ObjectNode props = record.putObject("properties");
    props.put(
        "fqdn", (relative.equals("@") ? "" : relative + ".") + zone.get("name").asText() + ".");
    props.put("isAutoRegistered", false);
    return record;
  }

  private ArmResponse listRecords(ArmRequest request) {
    ObjectNode zone = requireZone(request);
    String type = recordType(request);
    String prefix = zone.get("id").asText().toLowerCase(Locale.ROOT) + "/";
    List<ObjectNode> records =
        arm.store()
            .list(
                k -> {
                  if (!k.startsWith(prefix) || k.startsWith(prefix + "virtualnetworklinks/")) {
                    return false;
                  }
                  String rest = k.substring(prefix.length());
                  int slash = rest.indexOf('/');
                  return slash > 0
                      && rest.indexOf('/', slash + 1) < 0
                      && (type == null || rest.substring(0, slash).equalsIgnoreCase(type));
                });
    return ArmResponse.ok(ArmContext.list(records));
  }

  private ArmResponse record(ArmRequest request) {
    ObjectNode zone = requireZone(request);
    String type = recordType(request);
    if (type == null) {
      throw ArmException.badRequest("InvalidRecordType", "A record set needs a record type.");
    }
    String id =
        zone.get("id").asText() + "/" + type + "/" + request.var("record").toLowerCase(Locale.ROOT);
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw new ArmException(
              404,
              "NotFound",
              "The resource record '"
                  + request.var("record")
                  + "' does not exist in resource group '"
                  + request.var("rg")
                  + "' of subscription '"
                  + request.var("sub")
                  + "'.");
        }
        return ArmResponse.ok(existing);
      }
      case "PUT", "PATCH" -> {
        checkPreconditions(request, existing);
        if (existing == null && request.method().equals("PATCH")) {
          throw new ArmException(
              404,
              "NotFound",
              "The resource record '" + request.var("record") + "' does not exist.");
        }
        ObjectNode body = request.bodyObject();
        ObjectNode record =
            existing == null ? recordDocument(zone, type, request.var("record")) : existing;
        ObjectNode props = Json.child(record, "properties");
        JsonNode requested = body.path("properties");
        requested
            .fields()
            .forEachRemaining(
                f -> {
                  if (!f.getKey().equals("fqdn") && !f.getKey().equals("isAutoRegistered")) {
                    props.set(f.getKey(), f.getValue());
                  }
                });
        if (!props.has("ttl")) {
          props.put("ttl", 3600);
        }
        record.put("etag", UUID.randomUUID().toString());
        arm.store().put(id, record);
        return ArmResponse.of(existing == null ? 201 : 200, record);
      }
      case "DELETE" -> {
        if (existing == null) {
          return ArmResponse.empty(204);
        }
        if (type.equals("SOA")) {
          throw ArmException.badRequest("BadRequest", "The SOA record set cannot be deleted.");
        }
        checkPreconditions(request, existing);
        arm.store().remove(id);
        return ArmResponse.empty(200);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  /**
   * Writes an A record set for a private endpoint's zone group, as Azure does when the group is
   * written. Returns the record set's id.
   */
  public String upsertARecord(String zoneId, String relativeName, List<String> ips) {
    ObjectNode zone = arm.store().get(zoneId);
    if (zone == null) {
      return null;
    }
    String id = zone.get("id").asText() + "/A/" + relativeName.toLowerCase(Locale.ROOT);
    ObjectNode record = arm.store().get(id);
    if (record == null) {
      record = recordDocument(zone, "A", relativeName);
    }
    ObjectNode props = Json.child(record, "properties");
    props.put("ttl", 10);
    var aRecords = props.putArray("aRecords");
    ips.forEach(ip -> aRecords.addObject().put("ipv4Address", ip));
    record.put("etag", UUID.randomUUID().toString());
    arm.store().put(id, record);
    return id;
  }

  public void deleteRecord(String recordId) {
    arm.store().remove(recordId);
  }
}
