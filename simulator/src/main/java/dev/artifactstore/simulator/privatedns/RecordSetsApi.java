package dev.artifactstore.simulator.privatedns;

import static dev.artifactstore.simulator.privatedns.PrivateDnsApi.NAMESPACE;
import static dev.artifactstore.simulator.privatedns.PrivateDnsApi.ZONE_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A zone's record sets, by type and relative name; "@" is the zone itself. They are written at
 * once, without an operation, and the zone's SOA record set cannot be deleted.
 */
final class RecordSetsApi {
  private static final Set<String> RECORD_TYPES =
      Set.of("A", "AAAA", "CNAME", "MX", "PTR", "SOA", "SRV", "TXT");

  private final ArmContext arm;

  RecordSetsApi(ArmContext arm, Router router) {
    this.arm = arm;
    String zone = PrivateDnsApi.GROUP_PATH + "/privateDnsZones/{zone}";
    router.add(
        zone + "/{recordType}",
        Set.of("GET"),
        NAMESPACE,
        ZONE_TYPE + "/recordsets",
        this::listRecords);
    router.add(
        zone + "/{recordType}/{record}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        ZONE_TYPE + "/recordsets",
        this::record);
  }

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

  private static ObjectNode recordDocument(ObjectNode zone, String type, String name) {
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

  /** The record set every zone starts with, as Azure fills it in. */
  static ObjectNode soaRecordSet(ObjectNode zone) {
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
    return soa;
  }

  private ArmResponse listRecords(ArmRequest request) {
    ObjectNode zone = PrivateDnsApi.requireZone(arm, request);
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
    ObjectNode zone = PrivateDnsApi.requireZone(arm, request);
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
        PrivateDnsApi.checkPreconditions(request, existing);
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
        if (request.method().equals("PUT")) {
          // A PUT replaces the record set: what it does not send (metadata, records) is gone.
          // Private DNS REST API, "Record Sets - Create Or Update" (PUT, the whole record set)
          // against "Record Sets - Update" (PATCH, the fields sent), api-version 2024-06-01.
          props.retain("fqdn", "isAutoRegistered");
        }
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
        PrivateDnsApi.checkPreconditions(request, existing);
        arm.store().remove(id);
        return ArmResponse.empty(200);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  String upsertARecord(String zoneId, String relativeName, List<String> ips) {
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

  void deleteRecord(String recordId) {
    arm.store().remove(recordId);
  }
}
