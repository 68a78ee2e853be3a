package dev.artifactstore.simulator.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Microsoft.Resources: subscriptions, resource groups and the generic resource list. */
public final class ResourceManagerApi {
  public static final String TENANT_ID = "11111111-1111-1111-1111-111111111111";
  private static final String GROUP_TYPE = "Microsoft.Resources/resourceGroups";
  private static final Pattern TYPE_FILTER =
      Pattern.compile("resourceType\\s+eq\\s+'([^']+)'", Pattern.CASE_INSENSITIVE);

  private final ArmContext arm;

  public ResourceManagerApi(ArmContext arm, Router router) {
    this.arm = arm;
    router.add(
        "/subscriptions", Set.of("GET"), "subscriptions", "subscriptions", this::subscriptions);
    router.add(
        "/subscriptions/{sub}",
        Set.of("GET"),
        "subscriptions",
        "subscriptions",
        this::subscription);
    router.add(
        "/subscriptions/{sub}/resourcegroups",
        Set.of("GET"),
        "Microsoft.Resources",
        GROUP_TYPE,
        this::listGroups);
    router.add(
        "/subscriptions/{sub}/resourcegroups/{rg}",
        Set.of("GET", "HEAD", "PUT", "PATCH", "DELETE"),
        "Microsoft.Resources",
        GROUP_TYPE,
        this::group);
    router.add(
        "/subscriptions/{sub}/resources",
        Set.of("GET"),
        "Microsoft.Resources",
        "Microsoft.Resources/resources",
        this::listResources);
    router.add(
        "/subscriptions/{sub}/resourceGroups/{rg}/resources",
        Set.of("GET"),
        "Microsoft.Resources",
        "Microsoft.Resources/resources",
        this::listResources);
    arm.operations()
        .register(
            "resourceGroup",
            new Operations.Completion() {
              @Override
              public void succeeded(ObjectNode op) {
                arm.store().removeTree(op.get("resourceId").asText());
              }

              @Override
              public void failed(ObjectNode op, String code, String message) {
                ObjectNode group = arm.store().get(op.get("resourceId").asText());
                if (group != null) {
                  Json.child(group, "properties").put("provisioningState", "Succeeded");
                }
              }
            });
  }

  private ObjectNode subscriptionDocument(String id) {
    ObjectNode sub = Json.object();
    sub.put("id", "/subscriptions/" + id);
    sub.put("authorizationSource", "RoleBased");
    sub.putArray("managedByTenants");
    sub.put("subscriptionId", id);
    sub.put("tenantId", TENANT_ID);
    sub.put("displayName", "Simulated subscription " + id);
    sub.put("state", "Enabled");
    ObjectNode policies = sub.putObject("subscriptionPolicies");
    policies.put("locationPlacementId", "Public_2014-09-01");
    policies.put("quotaId", "Internal_2014-09-01");
    policies.put("spendingLimit", "Off");
    return sub;
  }

  private ArmResponse subscriptions(ArmRequest request) {
    List<ObjectNode> subs = new ArrayList<>();
    arm.subscriptions().stream().sorted().forEach(s -> subs.add(subscriptionDocument(s)));
    return ArmResponse.ok(ArmContext.list(subs));
  }

  private ArmResponse subscription(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    return ArmResponse.ok(subscriptionDocument(request.var("sub").toLowerCase(Locale.ROOT)));
  }

  private ArmResponse listGroups(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String prefix =
        ("/subscriptions/" + request.var("sub") + "/resourcegroups/").toLowerCase(Locale.ROOT);
    return ArmResponse.ok(
        ArmContext.list(
            arm.store().list(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0)));
  }

  private ArmResponse group(ArmRequest request) {
    String sub = request.var("sub");
    String name = request.var("rg");
    arm.requireSubscription(sub);
    String id = "/subscriptions/" + sub + "/resourceGroups/" + name;
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET", "HEAD" -> {
        if (existing == null) {
          throw ArmException.resourceGroupNotFound(name);
        }
        return request.method().equals("HEAD") ? ArmResponse.empty(204) : ArmResponse.ok(existing);
      }
      case "PUT", "PATCH" -> {
        ObjectNode body = request.bodyObject();
        if (existing == null) {
          if (request.method().equals("PATCH")) {
            throw ArmException.resourceGroupNotFound(name);
          }
          String location = Json.text(body, "/location");
          if (location == null) {
            throw ArmException.badRequest(
                "LocationRequired", "The location property is required for this definition.");
          }
          ObjectNode group =
              ArmContext.resource(id, name, GROUP_TYPE, ArmContext.normaliseRegion(location));
          if (body.has("tags")) {
            group.set("tags", body.get("tags"));
          }
          group.putObject("properties").put("provisioningState", "Succeeded");
          arm.store().put(id, group);
          return ArmResponse.of(201, group);
        }
        if (body.has("tags")) {
          existing.set("tags", body.get("tags"));
          arm.store().changed(existing);
        }
        return ArmResponse.ok(existing);
      }
      case "DELETE" -> {
        if (existing == null) {
          throw ArmException.resourceGroupNotFound(name);
        }
        Json.child(existing, "properties").put("provisioningState", "Deleting");
        ObjectNode op =
            arm.startOperation(
                request, "resourceGroup", "delete", id, Json.text(existing, "/location"));
        return arm.acceptedDelete(
            request, op, "/subscriptions/" + sub + "/operationresults/" + op.get("id").asText());
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  private ArmResponse listResources(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String prefix =
        request.var("rg") == null
            ? ("/subscriptions/" + request.var("sub") + "/resourcegroups/").toLowerCase(Locale.ROOT)
            : ("/subscriptions/"
                    + request.var("sub")
                    + "/resourcegroups/"
                    + request.var("rg")
                    + "/")
                .toLowerCase(Locale.ROOT);
    String filter = request.query().get("$filter");
    String type = null;
    // `az resource list` sends an empty $filter, which ARM takes as no filter.
    if (filter != null && !filter.isBlank()) {
      Matcher m = TYPE_FILTER.matcher(filter);
      if (!m.find()) {
        throw ArmException.badRequest(
            "InvalidFilterInQueryString",
            "Only 'resourceType eq' filters are supported: " + filter);
      }
      type = m.group(1);
    }
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode resource :
        arm.store().list(k -> k.startsWith(prefix) && k.contains("/providers/"))) {
      String resourceType = Json.text(resource, "/type");
      if (type != null && !type.equalsIgnoreCase(resourceType)) {
        continue;
      }
      // The generic list shows top-level resources only (type has one slash).
      if (resourceType == null || resourceType.chars().filter(c -> c == '/').count() != 1) {
        continue;
      }
      ObjectNode generic = Json.object();
      for (String field : List.of("id", "name", "type", "location", "sku", "tags")) {
        if (resource.has(field)) {
          generic.set(field, resource.get(field));
        }
      }
      out.add(generic);
    }
    return ArmResponse.ok(ArmContext.list(out));
  }
}
