package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A private endpoint through which the registry is reached from a virtual network. */
public class PrivateEndpointSpec {
  @Required
  @Pattern(ApiPatterns.PRIVATE_ENDPOINT_NAME)
  @JsonPropertyDescription("Name of the private endpoint resource, unique within this store.")
  private String name;

  @Pattern(ApiPatterns.RESOURCE_GROUP)
  @JsonPropertyDescription(
      "Resource group of the private endpoint, in the subscription of its subnet's virtual"
          + " network. Defaults to spec.resourceGroup when the subnet is in spec.subscriptionId;"
          + " required when it is in another subscription (a landing zone's connectivity"
          + " subscription).")
  private String resourceGroup;

  @Required
  @Pattern(ApiPatterns.SUBNET_ID)
  @Size(max = 400)
  @JsonPropertyDescription(
      "ARM id of the subnet the endpoint's network interface is placed in:"
          + " /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}."
          + " The endpoint is created in this virtual network's region and subscription, which"
          + " may differ from the registry's. Adding a replica takes one more private IP address"
          + " from this subnet.")
  private String subnetId;

  @Required
  @Pattern(ApiPatterns.PRIVATE_DNS_ZONE_ID)
  @JsonPropertyDescription(
      "ARM id of the private DNS zone privatelink.azurecr.io that holds the registry's A records."
          + " The operator writes the record of every region's data endpoint into it.")
  private String privateDnsZoneId;

  public PrivateEndpointSpec() {}

  public PrivateEndpointSpec(
      String name, String resourceGroup, String subnetId, String privateDnsZoneId) {
    this.name = name;
    this.resourceGroup = resourceGroup;
    this.subnetId = subnetId;
    this.privateDnsZoneId = privateDnsZoneId;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getResourceGroup() {
    return resourceGroup;
  }

  public void setResourceGroup(String resourceGroup) {
    this.resourceGroup = resourceGroup;
  }

  public String getSubnetId() {
    return subnetId;
  }

  public void setSubnetId(String subnetId) {
    this.subnetId = subnetId;
  }

  public String getPrivateDnsZoneId() {
    return privateDnsZoneId;
  }

  public void setPrivateDnsZoneId(String privateDnsZoneId) {
    this.privateDnsZoneId = privateDnsZoneId;
  }
}
