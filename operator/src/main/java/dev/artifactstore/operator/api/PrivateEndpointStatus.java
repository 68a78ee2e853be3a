package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A private endpoint of the registry as last observed in Azure. */
public class PrivateEndpointStatus {
  @JsonPropertyDescription("Name of the private endpoint, as in spec.privateEndpoints.")
  private String name;

  @JsonPropertyDescription("ARM id of the private endpoint.")
  private String resourceId;

  @JsonPropertyDescription("Azure provisioningState of the endpoint.")
  private String provisioningState;

  @JsonPropertyDescription("A records of the registry's endpoints in the private DNS zone.")
  private List<DnsRecordStatus> dnsRecords = new ArrayList<>();

  public PrivateEndpointStatus() {}

  public PrivateEndpointStatus(
      String name, String resourceId, String provisioningState, List<DnsRecordStatus> dnsRecords) {
    this.name = name;
    this.resourceId = resourceId;
    this.provisioningState = provisioningState;
    this.dnsRecords = new ArrayList<>(dnsRecords);
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
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

  public List<DnsRecordStatus> getDnsRecords() {
    return dnsRecords;
  }

  public void setDnsRecords(List<DnsRecordStatus> dnsRecords) {
    this.dnsRecords = dnsRecords;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivateEndpointStatus p
        && Objects.equals(name, p.name)
        && Objects.equals(resourceId, p.resourceId)
        && Objects.equals(provisioningState, p.provisioningState)
        && Objects.equals(dnsRecords, p.dnsRecords);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, resourceId, provisioningState, dnsRecords);
  }
}
