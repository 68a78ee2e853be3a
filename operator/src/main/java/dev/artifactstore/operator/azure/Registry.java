package dev.artifactstore.operator.azure;

/**
 * A container registry as Azure reports it.
 *
 * @param provisioningState Succeeded, Creating, Failed, ... ("Unknown" when Azure gave none)
 * @param zoneRedundancy Enabled or Disabled
 * @param sku Basic, Standard or Premium
 */
public record Registry(
    String id,
    String location,
    String loginServer,
    String provisioningState,
    String zoneRedundancy,
    String sku) {
  public boolean premium() {
    return "Premium".equalsIgnoreCase(sku);
  }
}
