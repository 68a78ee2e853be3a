package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual networks (read only), subnets, private endpoints and their DNS zone groups
 * (Microsoft.Network) of one subscription, in our terms.
 */
public interface NetworkPort {
  /** Free private addresses in the subnet; empty when the subnet does not exist. */
  Optional<Integer> freeAddresses(String subnetId);

  /** The region of a virtual network; empty when it does not exist. */
  Optional<String> regionOf(String virtualNetworkId);

  /** The endpoint as Azure has it, read whole. */
  Optional<PrivateEndpoint> privateEndpoint(String resourceGroup, String name);

  /**
   * One page of the resource group's private endpoints, each as a read of it gives it: the first
   * when {@code continuation} is null (a missing resource group is a NOT_FOUND failure).
   */
  Page<PrivateEndpoint> privateEndpointsPage(String resourceGroup, String continuation);

  /**
   * Creates an endpoint in {@code region} (its network's) with a network interface named after it,
   * as the portal names it.
   */
  Started createPrivateEndpoint(
      String resourceGroup,
      String name,
      String region,
      String subnetId,
      String registryId,
      Map<String, String> tags);

  /**
   * Writes the endpoint again with the very document it was read with: Azure then recomputes its
   * DNS configuration from the registry's regions, and nothing else changes.
   */
  Started reapply(PrivateEndpoint endpoint);

  Started deletePrivateEndpoint(String resourceGroup, String name);

  /** The endpoint's DNS zone group, whatever its name; empty when it has none. */
  Optional<ZoneGroup> zoneGroup(String resourceGroup, String endpoint);

  /** Writes the endpoint's DNS zone group with these zones; Azure then writes their records. */
  Started putZoneGroup(
      String resourceGroup, String endpoint, String group, List<ZoneGroup.Zone> zones);

  OperationState poll(String url);
}
