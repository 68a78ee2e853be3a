package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A replica of the registry as last observed in Azure. */
public class ReplicaStatus {
  @JsonPropertyDescription("Region of the replica.")
  private String region;

  @JsonPropertyDescription("ARM id of the replication.")
  private String resourceId;

  @JsonPropertyDescription("Azure provisioningState: Creating, Succeeded, Failed, ...")
  private String provisioningState;

  @JsonPropertyDescription("Azure's displayStatus of the replica: Provisioning, Ready, ...")
  private String displayStatus;

  @JsonPropertyDescription(
      "Enabled when the replica spans the region's availability zones; Disabled in regions"
          + " without zones.")
  private String zoneRedundancy;

  public ReplicaStatus() {}

  public ReplicaStatus(
      String region,
      String resourceId,
      String provisioningState,
      String displayStatus,
      String zoneRedundancy) {
    this.region = region;
    this.resourceId = resourceId;
    this.provisioningState = provisioningState;
    this.displayStatus = displayStatus;
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

  public String getDisplayStatus() {
    return displayStatus;
  }

  public void setDisplayStatus(String displayStatus) {
    this.displayStatus = displayStatus;
  }

  public String getZoneRedundancy() {
    return zoneRedundancy;
  }

  public void setZoneRedundancy(String zoneRedundancy) {
    this.zoneRedundancy = zoneRedundancy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaStatus r
        && Objects.equals(region, r.region)
        && Objects.equals(resourceId, r.resourceId)
        && Objects.equals(provisioningState, r.provisioningState)
        && Objects.equals(displayStatus, r.displayStatus)
        && Objects.equals(zoneRedundancy, r.zoneRedundancy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, resourceId, provisioningState, displayStatus, zoneRedundancy);
  }
}
