package dev.artifactstore.operator.azure;

import java.util.Map;

/**
 * A container registry as Azure reports it.
 *
 * @param provisioningState Succeeded, Creating, Failed, ... ("Unknown" when Azure gave none)
 * @param zoneRedundancy Enabled or Disabled
 * @param sku Basic, Standard or Premium
 * @param tags its Azure tags (never null)
 */
public record Registry(
    String id,
    String location,
    String loginServer,
    String provisioningState,
    String zoneRedundancy,
    String sku,
    Map<String, String> tags) {
  public boolean premium() {
    return "Premium".equalsIgnoreCase(sku);
  }
}
