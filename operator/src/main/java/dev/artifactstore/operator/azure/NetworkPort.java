package dev.artifactstore.operator.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Subnets, private endpoints and their DNS zone groups (Microsoft.Network). */
public final class NetworkPort {
  /** Azure keeps five addresses of every subnet. */
  private static final int RESERVED_PER_SUBNET = 5;

  private final NetworkManager manager;

  NetworkPort(NetworkManager manager) {
    this.manager = manager;
  }

  /** Free private addresses in the subnet; empty when the subnet does not exist. */
  public Optional<Integer> freeAddresses(String subnetId) {
    ResourceId id = ResourceId.fromString(subnetId);
    return optional(
            () ->
                manager
                    .serviceClient()
                    .getSubnets()
                    .getWithResponse(
                        id.resourceGroupName(), id.parent().name(), id.name(), null, Context.NONE)
                    .getValue())
        .map(NetworkPort::free);
  }

  static int free(SubnetInner subnet) {
    String prefix = subnet.addressPrefix();
    if (prefix == null && subnet.addressPrefixes() != null && !subnet.addressPrefixes().isEmpty()) {
      prefix = subnet.addressPrefixes().get(0);
    }
    int bits = Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
    int size = 1 << (32 - bits);
    int used = subnet.ipConfigurations() == null ? 0 : subnet.ipConfigurations().size();
    return Math.max(0, size - RESERVED_PER_SUBNET - used);
  }

  public Optional<PrivateEndpointInner> privateEndpoint(String resourceGroup, String name) {
    return optional(
        () ->
            manager
                .serviceClient()
                .getPrivateEndpoints()
                .getByResourceGroupWithResponse(resourceGroup, name, null, Context.NONE)
                .getValue());
  }

  /** Writes the endpoint: Azure recomputes its DNS configuration from the registry's regions. */
  public Started putPrivateEndpoint(
      String resourceGroup, String name, String region, String subnetId, String registryId) {
    PrivateEndpointInner endpoint =
        new PrivateEndpointInner()
            .withSubnet(new SubnetInner().withId(subnetId))
            .withPrivateLinkServiceConnections(
                List.of(
                    new PrivateLinkServiceConnection()
                        .withName(name)
                        .withPrivateLinkServiceId(registryId)
                        .withGroupIds(List.of("registry"))));
    endpoint.withLocation(region);
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getPrivateEndpoints()
                .createOrUpdateWithResponseAsync(resourceGroup, name, endpoint));
  }

  public Started deletePrivateEndpoint(String resourceGroup, String name) {
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getPrivateEndpoints()
                .deleteWithResponseAsync(resourceGroup, name));
  }

  public Optional<PrivateDnsZoneGroupInner> zoneGroup(
      String resourceGroup, String endpoint, String group) {
    return optional(
        () ->
            manager
                .serviceClient()
                .getPrivateDnsZoneGroups()
                .getWithResponse(resourceGroup, endpoint, group, Context.NONE)
                .getValue());
  }

  public Started putZoneGroup(String resourceGroup, String endpoint, String group, String zoneId) {
    PrivateDnsZoneGroupInner inner =
        new PrivateDnsZoneGroupInner()
            .withPrivateDnsZoneConfigs(
                List.of(
                    new PrivateDnsZoneConfig().withName("registry").withPrivateDnsZoneId(zoneId)));
    return Lro.start(
        () ->
            manager
                .serviceClient()
                .getPrivateDnsZoneGroups()
                .createOrUpdateWithResponseAsync(resourceGroup, endpoint, group, inner));
  }

  public OperationState poll(String url) {
    return Lro.poll(manager.serviceClient().getHttpPipeline(), url);
  }

  static <T> Optional<T> optional(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() == AzureFailure.Kind.NOT_FOUND
          && !failure.code().equals("ResourceGroupNotFound")) {
        return Optional.empty();
      }
      throw failure;
    }
  }
}
