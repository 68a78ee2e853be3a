package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The primary registry as last observed in Azure. */
public class RegistryStatus {
  @JsonPropertyDescription("Home region of the registry.")
  private String region;

  @JsonPropertyDescription("ARM id of the registry.")
  private String resourceId;

  @JsonPropertyDescription("Azure provisioningState: Creating, Updating, Succeeded, Failed, ...")
  private String provisioningState;

  @JsonPropertyDescription("Enabled when the registry spans the region's availability zones.")
  private String zoneRedundancy;

  public RegistryStatus() {}

  public RegistryStatus(
      String region, String resourceId, String provisioningState, String zoneRedundancy) {
    this.region = region;
    this.resourceId = resourceId;
    this.provisioningState = provisioningState;
    this.zoneRedundancy = zoneRedundancy;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getResourceId() {
    return resourceId;
  }

  public void setResourceId(String resourceId) {
    this.resourceId = resourceId;
  }

  public String getProvisioningState() {
    return provisioningState;
  }

  public void setProvisioningState(String provisioningState) {
    this.provisioningState = provisioningState;
  }

  public String getZoneRedundancy() {
    return zoneRedundancy;
  }

  public void setZoneRedundancy(String zoneRedundancy) {
    this.zoneRedundancy = zoneRedundancy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryStatus r
        && Objects.equals(region, r.region)
        && Objects.equals(resourceId, r.resourceId)
        && Objects.equals(provisioningState, r.provisioningState)
        && Objects.equals(zoneRedundancy, r.zoneRedundancy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, resourceId, provisioningState, zoneRedundancy);
  }
}
