package dev.artifactstore.operator.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.containerregistry.models.RegistryUpdateParameters;
import com.azure.resourcemanager.containerregistry.models.Sku;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import com.azure.resourcemanager.containerregistry.models.ZoneRedundancy;
import java.util.List;
import java.util.Optional;

/** Container registries and their replications (Microsoft.ContainerRegistry). */
public final class RegistryPort {
  private final ContainerRegistryManager manager;

  RegistryPort(ContainerRegistryManager manager) {
    this.manager = manager;
  }

  public Optional<RegistryInner> registry(String resourceGroup, String name) {
    try {
      return Optional.of(
          manager
              .serviceClient()
              .getRegistries()
              .getByResourceGroupWithResponse(resourceGroup, name, Context.NONE)
              .getValue());
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() == AzureFailure.Kind.NOT_FOUND
          && failure.code().equals("ResourceNotFound")) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  /** Creates a Premium registry, zone redundant when asked. */
  public Started createRegistry(
      String resourceGroup, String name, String region, boolean zoneRedundant) {
    RegistryInner registry =
        new RegistryInner()
            .withSku(new Sku().withName(SkuName.PREMIUM))
            .withAdminUserEnabled(false)
            .withZoneRedundancy(zoneRedundant ? ZoneRedundancy.ENABLED : ZoneRedundancy.DISABLED);
    registry.withLocation(region);
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getRegistries()
                .createWithResponseAsync(resourceGroup, name, registry));
  }

  public Started upgradeToPremium(String resourceGroup, String name) {
    RegistryUpdateParameters update =
        new RegistryUpdateParameters().withSku(new Sku().withName(SkuName.PREMIUM));
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getRegistries()
                .updateWithResponseAsync(resourceGroup, name, update));
  }

  public Started deleteRegistry(String resourceGroup, String name) {
    return Lro.start(
        () -> manager.serviceClient().getRegistries().deleteWithResponseAsync(resourceGroup, name));
  }

  public List<ReplicationInner> replications(String resourceGroup, String registry) {
    try {
      return manager.serviceClient().getReplications().list(resourceGroup, registry).stream()
          .toList();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  public Started createReplication(
      String resourceGroup, String registry, String region, boolean zoneRedundant) {
    ReplicationInner replica =
        new ReplicationInner()
            .withRegionEndpointEnabled(true)
            .withZoneRedundancy(zoneRedundant ? ZoneRedundancy.ENABLED : ZoneRedundancy.DISABLED);
    replica.withLocation(region);
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getReplications()
                .createWithResponseAsync(resourceGroup, registry, region, replica));
  }

  public Started deleteReplication(String resourceGroup, String registry, String name) {
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getReplications()
                .deleteWithResponseAsync(resourceGroup, registry, name));
  }

  public OperationState poll(String url) {
    return Lro.poll(manager.serviceClient().getHttpPipeline(), url);
  }
}
