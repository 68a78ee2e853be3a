package dev.artifactstore.operator.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.PrivateEndpointConnectionInner;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.containerregistry.models.ConnectionStatus;
import com.azure.resourcemanager.containerregistry.models.PrivateLinkServiceConnectionState;
import com.azure.resourcemanager.containerregistry.models.RegistryUpdateParameters;
import com.azure.resourcemanager.containerregistry.models.ReplicationUpdateParameters;
import com.azure.resourcemanager.containerregistry.models.Sku;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import com.azure.resourcemanager.containerregistry.models.ZoneRedundancy;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry port over the Azure SDK (Microsoft.ContainerRegistry). */
final class SdkRegistryPort implements RegistryPort {
  /** The api-version of the registry listing, the one this SDK sends for registries. */
  static final String API_VERSION = "2025-11-01";

  private final ContainerRegistryManager manager;

  SdkRegistryPort(ContainerRegistryManager manager) {
    this.manager = manager;
  }

  @Override
  public Optional<Registry> registry(String resourceGroup, String name) {
    try {
      return Optional.of(
          registryOf(
              manager
                  .serviceClient()
                  .getRegistries()
                  .getByResourceGroupWithResponse(resourceGroup, name, Context.NONE)
                  .getValue()));
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() == AzureFailure.Kind.NOT_FOUND
          && failure.code().equals("ResourceNotFound")) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  @Override
  public Page<Registry> registriesPage(String resourceGroup, String continuation) {
    Page<JsonNode> page =
        ArmPages.get(
            manager.serviceClient().getHttpPipeline(),
            manager.serviceClient().getEndpoint(),
            "/subscriptions/"
                + manager.serviceClient().getSubscriptionId()
                + "/resourceGroups/"
                + resourceGroup
                + "/providers/Microsoft.ContainerRegistry/registries",
            API_VERSION,
            continuation);
    return new Page<>(page.items().stream().map(SdkRegistryPort::registryOf).toList(), page.next());
  }

  @Override
  public Started createRegistry(
      String resourceGroup,
      String name,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags) {
    RegistryInner registry =
        new RegistryInner()
            .withSku(new Sku().withName(SkuName.PREMIUM))
            .withAdminUserEnabled(false)
            .withZoneRedundancy(zoneRedundant ? ZoneRedundancy.ENABLED : ZoneRedundancy.DISABLED);
    registry.withLocation(region).withTags(tags);
    return HaltPoints.after(
        "registry-create",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getRegistries()
                    .createWithResponseAsync(resourceGroup, name, registry)));
  }

  @Override
  public Started upgradeToPremium(String resourceGroup, String name, Map<String, String> tags) {
    return HaltPoints.after(
        "registry-update",
        update(
            resourceGroup,
            name,
            new RegistryUpdateParameters()
                .withSku(new Sku().withName(SkuName.PREMIUM))
                .withTags(tags)));
  }

  @Override
  public Started retag(String resourceGroup, String name, Map<String, String> tags) {
    return HaltPoints.after(
        "registry-retag",
        update(resourceGroup, name, new RegistryUpdateParameters().withTags(tags)));
  }

  private Started update(String resourceGroup, String name, RegistryUpdateParameters update) {
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getRegistries()
                .updateWithResponseAsync(resourceGroup, name, update));
  }

  @Override
  public Started deleteRegistry(String resourceGroup, String name) {
    return HaltPoints.after(
        "registry-delete",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getRegistries()
                    .deleteWithResponseAsync(resourceGroup, name)));
  }

  @Override
  public List<Replica> replications(String resourceGroup, String registry) {
    try {
      return manager.serviceClient().getReplications().list(resourceGroup, registry).stream()
          .map(SdkRegistryPort::replicaOf)
          .toList();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  @Override
  public Started createReplication(
      String resourceGroup,
      String registry,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags) {
    ReplicationInner replica =
        new ReplicationInner()
            .withRegionEndpointEnabled(true)
            .withZoneRedundancy(zoneRedundant ? ZoneRedundancy.ENABLED : ZoneRedundancy.DISABLED);
    replica.withLocation(region).withTags(tags);
    return HaltPoints.after(
        "replica-create",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getReplications()
                    .createWithResponseAsync(resourceGroup, registry, region, replica)));
  }

  @Override
  public Started retagReplication(
      String resourceGroup, String registry, String name, Map<String, String> tags) {
    return HaltPoints.after(
        "replica-retag",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getReplications()
                    .updateWithResponseAsync(
                        resourceGroup,
                        registry,
                        name,
                        new ReplicationUpdateParameters().withTags(tags))));
  }

  @Override
  public Started deleteReplication(String resourceGroup, String registry, String name) {
    return HaltPoints.after(
        "replica-delete",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getReplications()
                    .deleteWithResponseAsync(resourceGroup, registry, name)));
  }

  @Override
  public List<Connection> connections(String resourceGroup, String registry) {
    try {
      return manager
          .serviceClient()
          .getPrivateEndpointConnections()
          .list(resourceGroup, registry)
          .stream()
          .map(
              c ->
                  new Connection(
                      c.name(),
                      c.privateEndpoint() == null ? null : c.privateEndpoint().id(),
                      c.privateLinkServiceConnectionState() == null
                              || c.privateLinkServiceConnectionState().status() == null
                          ? "Unknown"
                          : c.privateLinkServiceConnectionState().status().toString()))
          .toList();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  @Override
  public Started approveConnection(String resourceGroup, String registry, String connection) {
    PrivateEndpointConnectionInner approved =
        new PrivateEndpointConnectionInner()
            .withPrivateLinkServiceConnectionState(
                new PrivateLinkServiceConnectionState()
                    .withStatus(ConnectionStatus.APPROVED)
                    .withDescription("Approved by the artifactstore operator"));
    return HaltPoints.after(
        "connection-approve",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getPrivateEndpointConnections()
                    .createOrUpdateWithResponseAsync(
                        resourceGroup, registry, connection, approved)));
  }

  @Override
  public OperationState poll(String url) {
    return Lro.poll(
        manager.serviceClient().getHttpPipeline(), manager.serviceClient().getEndpoint(), url);
  }

  /** A registry as a list gives it, in the same terms as a read. */
  private static Registry registryOf(JsonNode r) {
    String zones = r.at("/properties/zoneRedundancy").asText("");
    String sku = r.at("/sku/name").asText("");
    String state = r.at("/properties/provisioningState").asText("");
    Map<String, String> tags = new LinkedHashMap<>();
    r.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    return new Registry(
        r.path("id").asText(),
        r.path("location").asText(),
        r.at("/properties/loginServer").asText(null),
        state.isEmpty() ? "Unknown" : state,
        zones.isEmpty() ? "Disabled" : zones,
        sku.isEmpty() ? "Unknown" : sku,
        Map.copyOf(tags));
  }

  private static Registry registryOf(RegistryInner r) {
    return new Registry(
        r.id(),
        r.location(),
        r.loginServer(),
        r.provisioningState() == null ? "Unknown" : r.provisioningState().toString(),
        r.zoneRedundancy() == null ? "Disabled" : r.zoneRedundancy().toString(),
        r.sku() == null || r.sku().name() == null ? "Unknown" : r.sku().name().toString(),
        r.tags() == null ? Map.of() : Map.copyOf(r.tags()));
  }

  private static Replica replicaOf(ReplicationInner r) {
    return new Replica(
        r.name(),
        r.id(),
        r.location(),
        r.provisioningState() == null ? "Unknown" : r.provisioningState().toString(),
        r.status() == null ? null : r.status().displayStatus(),
        r.status() == null || r.status().timestamp() == null
            ? null
            : r.status().timestamp().toInstant(),
        r.zoneRedundancy() == null ? "Disabled" : r.zoneRedundancy().toString(),
        r.tags() == null ? Map.of() : Map.copyOf(r.tags()));
  }
}
