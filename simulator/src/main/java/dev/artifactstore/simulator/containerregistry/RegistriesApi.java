package dev.artifactstore.simulator.containerregistry;

import static dev.artifactstore.simulator.containerregistry.ContainerRegistryApi.NAMESPACE;
import static dev.artifactstore.simulator.containerregistry.ContainerRegistryApi.REGISTRY_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.PrivateLinkHooks;
import dev.artifactstore.simulator.arm.Regions;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Registries: their names, SKUs and properties, created with a replica in their home region. */
final class RegistriesApi {
  private static final Set<String> SKUS = Set.of("Basic", "Standard", "Premium");

  private final ArmContext arm;
  private final PrivateLinkHooks privateLink;
  private final Replicas replicas;

  RegistriesApi(ArmContext arm, Router router, PrivateLinkHooks privateLink, Replicas replicas) {
    this.arm = arm;
    this.privateLink = privateLink;
    this.replicas = replicas;
    String group = ContainerRegistryApi.GROUP_PATH;
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/registries",
        Set.of("GET"),
        NAMESPACE,
        REGISTRY_TYPE,
        this::listRegistries);
    router.add(
        group + "/registries", Set.of("GET"), NAMESPACE, REGISTRY_TYPE, this::listRegistries);
    router.add(
        group + "/registries/{name}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        REGISTRY_TYPE,
        this::registry);
    arm.operations().register("registry", new Completion());
  }

  private ArmResponse listRegistries(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String sub =
        ("/subscriptions/" + request.var("sub") + "/resourcegroups/").toLowerCase(Locale.ROOT);
    String rg = request.var("rg") == null ? null : request.var("rg").toLowerCase(Locale.ROOT);
    if (rg != null) {
      arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    }
    Set<String> linked = privateLink.registriesWithEndpoints();
    return ArmResponse.ok(
        ArmContext.list(
            arm
                .store()
                .list(
                    k ->
                        k.startsWith(sub)
                            && (rg == null || k.startsWith(sub + rg + "/"))
                            && k.matches(
                                ".*/providers/microsoft\\.containerregistry/registries/[^/]+$"))
                .stream()
                .map(r -> view(r, linked.contains(ResourceStore.key(r.get("id").asText()))))
                .toList()));
  }

  /**
   * A registry as ARM shows it: one reached through a private endpoint has dedicated data
   * endpoints, one per region (ACR's private link documentation).
   */
  private ObjectNode view(ObjectNode registry) {
    return view(registry, privateLink.hasEndpoints(registry.get("id").asText()));
  }

  private ObjectNode view(ObjectNode registry, boolean reachedPrivately) {
    if (!reachedPrivately) {
      return registry;
    }
    ObjectNode copy = registry.deepCopy();
    ObjectNode props = Json.child(copy, "properties");
    props.put("dataEndpointEnabled", true);
    replicas.addDataEndpoints(props.putArray("dataEndpointHostNames"), registry);
    return copy;
  }

  private ArmResponse registry(ArmRequest request) {
    return switch (request.method()) {
      case "GET" -> {
        ObjectNode registry = ContainerRegistryApi.requireRegistry(arm, request);
        arm.requireRegionUp(Json.text(registry, "/location"));
        yield ArmResponse.ok(view(registry));
      }
      case "PUT" -> putRegistry(request);
      case "PATCH" -> {
        // The REST specs' example: 201, Azure-AsyncOperation, provisioningState Updating.
        ObjectNode registry = ContainerRegistryApi.requireRegistry(arm, request);
        String region = Json.text(registry, "/location");
        arm.requireRegionUp(region);
        String state = Json.text(registry, "/properties/provisioningState");
        if (!"Succeeded".equals(state) && !"Failed".equals(state)) {
          throw ArmException.conflict(
              "AnotherOperationInProgress",
              "Registry '"
                  + request.var("name")
                  + "' is "
                  + state
                  + "; retry when it has finished.");
        }
        update(registry, request.bodyObject());
        Json.child(registry, "properties").put("provisioningState", "Updating");
        String id = registry.get("id").asText();
        ObjectNode op = arm.startOperation(request, "registry", "update", id, region);
        yield arm.accepted(
            request, 201, view(registry), op, id + "/operationStatuses/" + op.get("id").asText());
      }
      case "DELETE" -> deleteRegistry(request);
      default -> throw new IllegalStateException(request.method());
    };
  }

  private ArmResponse putRegistry(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    String name = request.var("name");
    if (!NameAvailabilityApi.isValid(name)) {
      throw ArmException.badRequest(
          "InvalidRegistryName",
          "Registry name '" + name + "' is invalid: use 5-50 alphanumeric characters.");
    }
    String id = ContainerRegistryApi.registryId(request);
    ObjectNode body = request.bodyObject();
    ObjectNode existing = arm.store().get(id);
    if (existing != null) {
      String region = Regions.require(Json.text(body, "/location"), REGISTRY_TYPE);
      if (!region.equals(Json.text(existing, "/location"))) {
        throw ArmException.conflict(
            "InvalidResourceLocation",
            "The resource '"
                + name
                + "' already exists in location '"
                + Json.text(existing, "/location")
                + "' in resource group '"
                + request.var("rg")
                + "'. A resource with the same name cannot be created in location '"
                + region
                + "'. Please select a new resource name.");
      }
      arm.requireRegionUp(region);
      if ("Failed".equals(Json.text(existing, "/properties/provisioningState"))) {
        // Writing a failed registry again makes Azure retry its provisioning.
        Json.child(existing, "properties").put("provisioningState", "Creating");
        ObjectNode op = arm.startOperation(request, "registry", "create", id, region);
        return arm.accepted(
            request, 200, existing, op, id + "/operationStatuses/" + op.get("id").asText());
      }
      update(existing, body);
      return ArmResponse.ok(existing);
    }
    ObjectNode other = NameAvailabilityApi.findByName(arm, name);
    if (other != null) {
      throw ArmException.conflict(
          "AlreadyInUse",
          "The registry DNS name "
              + name.toLowerCase(Locale.ROOT)
              + ".azurecr.io is already in use.");
    }
    String region = Regions.require(Json.text(body, "/location"), REGISTRY_TYPE);
    arm.requireRegionUp(region);
    String sku = requireSku(body);
    String zoneRedundancy = ContainerRegistryApi.zoneRedundancy(body, region, "registry");
    if (zoneRedundancy.equals("Enabled") && !sku.equals("Premium")) {
      throw ArmException.badRequest(
          "ZoneRedundancyRequiresPremium",
          "Zone redundancy is available for Premium registries only.");
    }

    ObjectNode registry = ArmContext.resource(id, name, REGISTRY_TYPE, region);
    if (body.has("tags")) {
      registry.set("tags", body.get("tags"));
    }
    ObjectNode skuNode = registry.putObject("sku");
    skuNode.put("name", sku);
    skuNode.put("tier", sku);
    ObjectNode props = registry.putObject("properties");
    JsonNode requested = body.path("properties");
    props.put("loginServer", name.toLowerCase(Locale.ROOT) + ".azurecr.io");
    props.put("creationDate", arm.now());
    props.put("provisioningState", "Creating");
    props.put("adminUserEnabled", requested.path("adminUserEnabled").asBoolean(false));
    ObjectNode policies = props.putObject("policies");
    policies.putObject("quarantinePolicy").put("status", "disabled");
    policies.putObject("trustPolicy").put("type", "Notary").put("status", "disabled");
    policies
        .putObject("retentionPolicy")
        .put("days", 7)
        .put("lastUpdatedTime", arm.now())
        .put("status", "disabled");
    policies.putObject("exportPolicy").put("status", "enabled");
    policies.putObject("azureADAuthenticationAsArmPolicy").put("status", "enabled");
    policies
        .putObject("softDeletePolicy")
        .put("retentionDays", 7)
        .put("lastUpdatedTime", arm.now())
        .put("status", "disabled");
    props.putObject("encryption").put("status", "disabled");
    ObjectNode rules = props.putObject("networkRuleSet");
    rules.put("defaultAction", "Allow");
    rules.putArray("ipRules");
    rules.putArray("virtualNetworkRules");
    props.put("dataEndpointEnabled", requested.path("dataEndpointEnabled").asBoolean(false));
    props.putArray("dataEndpointHostNames");
    props.putArray("privateEndpointConnections");
    props.put("publicNetworkAccess", requested.path("publicNetworkAccess").asText("Enabled"));
    props.put("networkRuleBypassOptions", "AzureServices");
    props.put("zoneRedundancy", zoneRedundancy);
    props.put("anonymousPullEnabled", false);
    arm.store().put(id, registry);

    ObjectNode home = replicas.document(id, region, region, zoneRedundancy);
    arm.store().put(home.get("id").asText(), home);
    replicas.refreshDataEndpoints(registry);

    ObjectNode op = arm.startOperation(request, "registry", "create", id, region);
    return arm.accepted(
        request, 201, registry, op, id + "/operationStatuses/" + op.get("id").asText());
  }

  private static String requireSku(ObjectNode body) {
    String sku = Json.text(body, "/sku/name");
    if (sku == null || !SKUS.contains(sku)) {
      throw ArmException.badRequest(
          "InvalidSku", "The SKU '" + sku + "' is invalid; use Basic, Standard or Premium.");
    }
    return sku;
  }

  /** PUT on an existing registry or PATCH: SKU, tags and a few properties; zones are fixed. */
  private void update(ObjectNode registry, ObjectNode body) {
    ObjectNode props = Json.child(registry, "properties");
    String state = Json.text(props, "/provisioningState");
    if (!"Succeeded".equals(state) && !"Failed".equals(state)) {
      throw ArmException.conflict(
          "AnotherOperationInProgress",
          "The registry '"
              + registry.get("name").asText()
              + "' is "
              + state
              + "; retry when the operation has finished.");
    }
    JsonNode requested = body.path("properties");
    ContainerRegistryApi.requireSameZoneRedundancy("registry", registry, requested);
    if (body.has("sku")) {
      String sku = requireSku(body);
      if (!sku.equals("Premium") && replicas.of(registry.get("id").asText()).size() > 1) {
        throw ArmException.badRequest(
            "CannotDowngradeWithReplications",
            "A registry with geo-replications must stay Premium; delete the replications first.");
      }
      ((ObjectNode) registry.get("sku")).put("name", sku).put("tier", sku);
    }
    if (body.has("tags")) {
      registry.set("tags", body.get("tags"));
    }
    for (String field : List.of("adminUserEnabled", "publicNetworkAccess", "dataEndpointEnabled")) {
      if (requested.has(field)) {
        props.set(field, requested.get(field));
      }
    }
    replicas.refreshDataEndpoints(registry);
    props.put("provisioningState", "Succeeded");
    arm.store().changed(registry);
  }

  private ArmResponse deleteRegistry(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode registry = arm.store().get(ContainerRegistryApi.registryId(request));
    if (registry == null) {
      return ArmResponse.empty(204);
    }
    String region = Json.text(registry, "/location");
    return ContainerRegistryApi.acceptedDelete(arm, request, "registry", registry, region);
  }

  private final class Completion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode registry = arm.store().get(id);
      if (registry == null) {
        return;
      }
      if (op.get("action").asText().equals("delete")) {
        arm.store().removeTree(id);
        privateLink.registryDeleted(id);
        return;
      }
      Json.child(registry, "properties").put("provisioningState", "Succeeded");
      for (ObjectNode replica : replicas.of(id)) {
        if (Json.text(replica, "/location").equals(Json.text(registry, "/location"))) {
          replicas.markReady(replica);
        }
      }
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      ObjectNode registry = arm.store().get(op.get("resourceId").asText());
      if (registry != null) {
        Json.child(registry, "properties").put("provisioningState", "Failed");
        for (ObjectNode replica : replicas.of(registry.get("id").asText())) {
          if ("Creating".equals(Json.text(replica, "/properties/provisioningState"))) {
            Json.child(replica, "properties").put("provisioningState", "Failed");
          }
        }
      }
    }
  }
}
