package dev.artifactstore.simulator.containerregistry;

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
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Microsoft.ContainerRegistry: registries and their replications. */
public final class ContainerRegistryApi {
  static final String NAMESPACE = "Microsoft.ContainerRegistry";
  static final String REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
  static final String REPLICATION_TYPE = "Microsoft.ContainerRegistry/registries/replications";
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]{5,50}$");
  private static final Set<String> SKUS = Set.of("Basic", "Standard", "Premium");

  private final ArmContext arm;
  private final PrivateLinkHooks privateLink;
  private final Duration replicaCooldown;

  public ContainerRegistryApi(
      ArmContext arm, Router router, PrivateLinkHooks privateLink, Duration replicaCooldown) {
    this.arm = arm;
    this.privateLink = privateLink;
    this.replicaCooldown = replicaCooldown;
    String group = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry";
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
        Set.of("POST"),
        NAMESPACE,
        REGISTRY_TYPE,
        this::checkName);
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
    router.add(
        group + "/registries/{name}/replications",
        Set.of("GET"),
        NAMESPACE,
        REPLICATION_TYPE,
        this::listReplications);
    router.add(
        group + "/registries/{name}/replications/{rep}",
        Set.of("GET", "PUT", "PATCH", "DELETE"),
        NAMESPACE,
        REPLICATION_TYPE,
        this::replication);
    new PrivateEndpointConnectionsApi(arm, router, privateLink);
    arm.operations().register("registry", new RegistryCompletion());
    arm.operations().register("replication", new ReplicationCompletion());
  }

  // ---- registries ----

  private ArmResponse checkName(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String name = Json.text(request.bodyObject(), "/name");
    ObjectNode answer = Json.object();
    if (name == null || !NAME.matcher(name).matches()) {
      answer.put("nameAvailable", false);
      answer.put("reason", "Invalid");
      answer.put(
          "message", "The registry name must be 5-50 alphanumeric characters: '" + name + "'.");
    } else if (findByName(name) != null) {
      answer.put("nameAvailable", false);
      answer.put("reason", "AlreadyExists");
      answer.put("message", "The registry " + name + " is already in use.");
    } else {
      answer.put("nameAvailable", true);
    }
    return ArmResponse.ok(answer);
  }

  private ObjectNode findByName(String name) {
    String suffix =
        "/providers/microsoft.containerregistry/registries/" + name.toLowerCase(Locale.ROOT);
    List<ObjectNode> found = arm.store().list(k -> k.endsWith(suffix));
    return found.isEmpty() ? null : found.get(0);
  }

  private ArmResponse listRegistries(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String sub =
        ("/subscriptions/" + request.var("sub") + "/resourcegroups/").toLowerCase(Locale.ROOT);
    String rg = request.var("rg") == null ? null : request.var("rg").toLowerCase(Locale.ROOT);
    if (rg != null) {
      arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    }
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
                .map(this::view)
                .toList()));
  }

  /**
   * A registry as ARM shows it: one reached through a private endpoint has dedicated data
   * endpoints, one per region (ACR's private link documentation).
   */
  private ObjectNode view(ObjectNode registry) {
    if (!privateLink.hasEndpoints(registry.get("id").asText())) {
      return registry;
    }
    ObjectNode copy = registry.deepCopy();
    ObjectNode props = Json.child(copy, "properties");
    props.put("dataEndpointEnabled", true);
    var hosts = props.putArray("dataEndpointHostNames");
    for (ObjectNode replica : replicas(registry.get("id").asText())) {
      hosts.add(dataEndpoint(registry.get("name").asText(), Json.text(replica, "/location")));
    }
    return copy;
  }

  private static String registryId(ArmRequest request) {
    return "/subscriptions/"
        + request.var("sub")
        + "/resourceGroups/"
        + request.var("rg")
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + request.var("name");
  }

  private ObjectNode requireRegistry(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode registry = arm.store().get(registryId(request));
    if (registry == null) {
      throw ArmException.notFound(REGISTRY_TYPE, request.var("name"), request.var("rg"));
    }
    return registry;
  }

  private ArmResponse registry(ArmRequest request) {
    return switch (request.method()) {
      case "GET" -> {
        ObjectNode registry = requireRegistry(request);
        arm.requireRegionUp(Json.text(registry, "/location"));
        yield ArmResponse.ok(view(registry));
      }
      case "PUT" -> putRegistry(request);
      case "PATCH" -> {
        // The REST specs' example: 201, Azure-AsyncOperation, provisioningState Updating.
        ObjectNode registry = requireRegistry(request);
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
    if (!NAME.matcher(name).matches()) {
      throw ArmException.badRequest(
          "InvalidRegistryName",
          "Registry name '" + name + "' is invalid: use 5-50 alphanumeric characters.");
    }
    String id = registryId(request);
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
    ObjectNode other = findByName(name);
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
    String zoneRedundancy = zoneRedundancy(body, region, "registry");
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

    ObjectNode home = replicationDocument(id, region, region, zoneRedundancy);
    arm.store().put(home.get("id").asText(), home);
    refreshDataEndpoints(registry);

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

  private static String zoneRedundancy(ObjectNode body, String region, String what) {
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
    requireSameZoneRedundancy("registry", registry, requested);
    if (body.has("sku")) {
      String sku = requireSku(body);
      if (!sku.equals("Premium") && replicas(registry.get("id").asText()).size() > 1) {
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
    refreshDataEndpoints(registry);
    props.put("provisioningState", "Succeeded");
    arm.store().markDirty();
  }

  private ArmResponse deleteRegistry(ArmRequest request) {
    arm.requireResourceGroup(request.var("sub"), request.var("rg"));
    ObjectNode registry = arm.store().get(registryId(request));
    if (registry == null) {
      return ArmResponse.empty(204);
    }
    String region = Json.text(registry, "/location");
    return startDelete(request, "registry", registry, region);
  }

  /**
   * Marks the resource Deleting and answers 202 with ACR's Location: the registry's operation
   * result, or for a replication its own operation status (as the REST specs' examples show).
   */
  private ArmResponse startDelete(
      ArmRequest request, String type, ObjectNode resource, String region) {
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

  private List<ObjectNode> replicas(String registryId) {
    return arm.store().children(registryId, "replications");
  }

  private void refreshDataEndpoints(ObjectNode registry) {
    ObjectNode props = Json.child(registry, "properties");
    var hosts = props.putArray("dataEndpointHostNames");
    if (props.path("dataEndpointEnabled").asBoolean(false)) {
      for (ObjectNode replica : replicas(registry.get("id").asText())) {
        hosts.add(dataEndpoint(registry.get("name").asText(), Json.text(replica, "/location")));
      }
    }
  }

  public static String dataEndpoint(String registryName, String region) {
    return registryName.toLowerCase(Locale.ROOT) + "." + region + ".data.azurecr.io";
  }

  // ---- replications ----

  private ObjectNode replicationDocument(
      String registryId, String name, String region, String zoneRedundancy) {
    ObjectNode replica =
        ArmContext.resource(registryId + "/replications/" + name, name, REPLICATION_TYPE, region);
    ObjectNode props = replica.putObject("properties");
    props.put("provisioningState", "Creating");
    ObjectNode status = props.putObject("status");
    status.put("displayStatus", "Provisioning");
    status.put("timestamp", arm.now());
    props.put("regionEndpointEnabled", true);
    props.put("zoneRedundancy", zoneRedundancy);
    return replica;
  }

  private ArmResponse listReplications(ArmRequest request) {
    ObjectNode registry = requireRegistry(request);
    return ArmResponse.ok(ArmContext.list(replicas(registry.get("id").asText())));
  }

  private ArmResponse replication(ArmRequest request) {
    ObjectNode registry = requireRegistry(request);
    String registryId = registry.get("id").asText();
    String id = registryId + "/replications/" + request.var("rep");
    ObjectNode existing = arm.store().get(id);
    switch (request.method()) {
      case "GET" -> {
        if (existing == null) {
          throw ArmException.notFound(
              REPLICATION_TYPE, request.var("name") + "/" + request.var("rep"), request.var("rg"));
        }
        arm.requireRegionUp(Json.text(existing, "/location"));
        return ArmResponse.ok(existing);
      }
      case "PATCH" -> {
        if (existing == null) {
          throw ArmException.notFound(
              REPLICATION_TYPE, request.var("name") + "/" + request.var("rep"), request.var("rg"));
        }
        arm.requireRegionUp(Json.text(existing, "/location"));
        patchReplication(existing, request.bodyObject());
        return ArmResponse.ok(existing);
      }
      case "PUT" -> {
        return putReplication(request, registry, existing, id);
      }
      case "DELETE" -> {
        return deleteReplication(request, registry, existing);
      }
      default -> throw new IllegalStateException(request.method());
    }
  }

  /**
   * Zone redundancy is chosen at creation and never changes (400 ZoneRedundancyCannotBeUpdated).
   */
  private static void requireSameZoneRedundancy(
      String what, ObjectNode resource, JsonNode requested) {
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

  private void patchReplication(ObjectNode replica, ObjectNode body) {
    JsonNode requested = body.path("properties");
    ObjectNode props = Json.child(replica, "properties");
    requireSameZoneRedundancy("replication", replica, requested);
    if (requested.has("regionEndpointEnabled")) {
      props.set("regionEndpointEnabled", requested.get("regionEndpointEnabled"));
    }
    if (body.has("tags")) {
      replica.set("tags", body.get("tags"));
    }
    arm.store().markDirty();
  }

  private ArmResponse putReplication(
      ArmRequest request, ObjectNode registry, ObjectNode existing, String id) {
    ObjectNode body = request.bodyObject();
    String region = Regions.require(Json.text(body, "/location"), REPLICATION_TYPE);
    arm.requireRegionUp(region);
    String registryName = registry.get("name").asText();
    if (existing != null) {
      if (!region.equals(Json.text(existing, "/location"))) {
        throw ArmException.conflict(
            "InvalidResourceLocation",
            "Replication '"
                + existing.get("name").asText()
                + "' already exists in '"
                + Json.text(existing, "/location")
                + "'.");
      }
      String state = Json.text(existing, "/properties/provisioningState");
      if (!"Succeeded".equals(state) && !"Failed".equals(state)) {
        throw ArmException.conflict(
            "AnotherOperationInProgress",
            "Replication '" + existing.get("name").asText() + "' is " + state + ".");
      }
      patchReplication(existing, body);
      if ("Failed".equals(state)) {
        // Writing a failed replica again makes Azure retry its provisioning.
        return provisionReplica(request, registry, existing, id, region, 200);
      }
      return ArmResponse.ok(existing);
    }
    String registryState = Json.text(registry, "/properties/provisioningState");
    if (!"Succeeded".equals(registryState)) {
      throw ArmException.conflict(
          "AnotherOperationInProgress",
          "Registry '"
              + registryName
              + "' is in provisioning state '"
              + registryState
              + "'; replications can be added once it is Succeeded.");
    }
    if (!"Premium".equals(Json.text(registry, "/sku/name"))) {
      throw ArmException.badRequest(
          "RegistrySkuNotSupported",
          "Geo-replication needs a Premium registry; registry '"
              + registryName
              + "' is "
              + Json.text(registry, "/sku/name")
              + ".");
    }
    if (region.equals(Json.text(registry, "/location"))) {
      throw ArmException.badRequest(
          "ReplicationInHomeRegion",
          "Registry '"
              + registryName
              + "' already lives in '"
              + region
              + "'; a replica must be in another region.");
    }
    for (ObjectNode other : replicas(registry.get("id").asText())) {
      if (region.equals(Json.text(other, "/location"))) {
        throw ArmException.conflict(
            "ReplicationAlreadyExists",
            "Registry '"
                + registryName
                + "' already has replication '"
                + other.get("name").asText()
                + "' in '"
                + region
                + "'.");
      }
    }
    String deletedAt =
        Json.text(arm.store().internal("deletedReplications"), "/" + cooldownKey(registry, region));
    if (deletedAt != null
        && Instant.parse(deletedAt).plus(replicaCooldown).isAfter(Instant.parse(arm.now()))) {
      throw ArmException.conflict(
          "ReplicationRecentlyDeleted",
          "A replication of '"
              + registryName
              + "' in '"
              + region
              + "' was deleted moments ago; retry in a few minutes.");
    }
    String zoneRedundancy = zoneRedundancy(body, region, "replication");
    ObjectNode replica =
        replicationDocument(
            registry.get("id").asText(), request.var("rep"), region, zoneRedundancy);
    if (body.has("tags")) {
      replica.set("tags", body.get("tags"));
    }
    arm.store().put(id, replica);
    return provisionReplica(request, registry, replica, id, region, 201);
  }

  private ArmResponse provisionReplica(
      ArmRequest request,
      ObjectNode registry,
      ObjectNode replica,
      String id,
      String region,
      int status) {
    String registryName = registry.get("name").asText();
    ObjectNode replicaProps = Json.child(replica, "properties");
    replicaProps.put("provisioningState", "Creating");
    Json.child(replicaProps, "status")
        .put("displayStatus", "Provisioning")
        .put("timestamp", arm.now());
    ObjectNode op = arm.startOperation(request, "replication", "create", id, region);
    String registryId = registry.get("id").asText();
    PrivateLinkHooks.Refusal refused =
        privateLink.reserveForRegion(registryId, dataEndpoint(registryName, region));
    if (refused != null) {
      op.put("rollback", refused.code().equals("InsufficientSubnetSize"));
      arm.operations().failWhenDue(op, refused.code(), refused.message());
    } else if (privateLink.hasEndpoints(registryId)
        && !arm.faults().permits(request.client(), Faults.PROXY_WRITE)) {
      // Without privateLinkServiceProxies/write the replica of a registry with private endpoints
      // stays Creating until it is deleted (ACR troubleshooting documentation).
      arm.operations().neverEnd(op);
    }
    return arm.accepted(
        request, status, replica, op, id + "/operationStatuses/" + op.get("id").asText());
  }

  private static String cooldownKey(ObjectNode registry, String region) {
    return registry.get("id").asText().toLowerCase(Locale.ROOT).replace('/', '|') + "|" + region;
  }

  private ArmResponse deleteReplication(
      ArmRequest request, ObjectNode registry, ObjectNode existing) {
    if (existing == null) {
      return ArmResponse.empty(204);
    }
    String region = Json.text(existing, "/location");
    if (region.equals(Json.text(registry, "/location"))) {
      throw ArmException.badRequest(
          "HomeReplicationCannotBeDeleted",
          "The home region replication '"
              + existing.get("name").asText()
              + "' cannot be deleted; delete the registry instead.");
    }
    return startDelete(request, "replication", existing, region);
  }

  private final class RegistryCompletion implements Operations.Completion {
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
      for (ObjectNode replica : replicas(id)) {
        if (Json.text(replica, "/location").equals(Json.text(registry, "/location"))) {
          markReady(replica);
        }
      }
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      ObjectNode registry = arm.store().get(op.get("resourceId").asText());
      if (registry != null) {
        Json.child(registry, "properties").put("provisioningState", "Failed");
        for (ObjectNode replica : replicas(registry.get("id").asText())) {
          if ("Creating".equals(Json.text(replica, "/properties/provisioningState"))) {
            Json.child(replica, "properties").put("provisioningState", "Failed");
          }
        }
      }
    }
  }

  private void markReady(ObjectNode replica) {
    ObjectNode props = Json.child(replica, "properties");
    props.put("provisioningState", "Succeeded");
    ObjectNode status = Json.child(props, "status");
    status.put("displayStatus", "Ready");
    status.put("timestamp", arm.now());
    arm.store().markDirty();
  }

  private final class ReplicationCompletion implements Operations.Completion {
    @Override
    public void succeeded(ObjectNode op) {
      String id = op.get("resourceId").asText();
      ObjectNode replica = arm.store().get(id);
      if (replica == null) {
        return;
      }
      String registryId =
          id.substring(0, id.toLowerCase(Locale.ROOT).lastIndexOf("/replications/"));
      ObjectNode registry = arm.store().get(registryId);
      String region = Json.text(replica, "/location");
      if (op.get("action").asText().equals("delete")) {
        arm.store().remove(id);
        arm.store().internal("deletedReplications").put(cooldownKey(registry, region), arm.now());
        privateLink.releaseForRegion(
            registryId, dataEndpoint(registry.get("name").asText(), region));
        refreshDataEndpoints(registry);
        return;
      }
      markReady(replica);
      refreshDataEndpoints(registry);
      privateLink.replicaAdded(registryId, region);
    }

    @Override
    public void failed(ObjectNode op, String code, String message) {
      String id = op.get("resourceId").asText();
      ObjectNode replica = arm.store().get(id);
      if (replica == null) {
        return;
      }
      String registryId =
          id.substring(0, id.toLowerCase(Locale.ROOT).lastIndexOf("/replications/"));
      ObjectNode registry = arm.store().get(registryId);
      if (op.get("action").asText().equals("create")) {
        privateLink.releaseForRegion(
            registryId,
            dataEndpoint(registry.get("name").asText(), Json.text(replica, "/location")));
      }
      if (op.path("rollback").asBoolean(false)) {
        arm.store().remove(id);
        return;
      }
      ObjectNode props = Json.child(replica, "properties");
      props.put("provisioningState", "Failed");
      ObjectNode status = Json.child(props, "status");
      status.put("displayStatus", "Failed");
      status.put("message", message);
      status.put("timestamp", arm.now());
    }
  }
}
