package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The desired artifact store. */
@ValidationRule(
    value =
        "!has(self.privateEndpoints) || self.privateEndpoints.all(e, has(e.resourceGroup) ||"
            + " e.subnetId.lowerAscii().startsWith('/subscriptions/' +"
            + " self.subscriptionId.lowerAscii() + '/'))",
    message =
        "spec.privateEndpoints[].resourceGroup is required when the endpoint's subnet is in"
            + " another subscription than spec.subscriptionId: the endpoint is created in its"
            + " virtual network's subscription")
public class ArtifactStoreSpec {
  @Required
  @Pattern(ApiPatterns.GUID)
  @Size(max = 36)
  @JsonPropertyDescription("Azure subscription that holds the registry, as a GUID.")
  private String subscriptionId;

  @Required
  @Pattern(ApiPatterns.RESOURCE_GROUP)
  @JsonPropertyDescription(
      "Resource group of the registry. It must exist; the operator does not create it.")
  private String resourceGroup;

  @Required
  @Pattern(ApiPatterns.LOCATION)
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.location is immutable: a registry cannot move; create a new ArtifactStore")
  @JsonPropertyDescription(
      "Primary Azure region of the registry, where pushes go (for example eastus; 'East US' is"
          + " accepted and normalised). Immutable.")
  private String location;

  @Required
  @Pattern(ApiPatterns.REGISTRY_NAME)
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "spec.registryName is immutable: a registry cannot be renamed; create a new"
              + " ArtifactStore")
  @JsonPropertyDescription(
      "Name of the Azure Container Registry: 5-50 letters and digits, unique across Azure. The"
          + " login server is {registryName}.azurecr.io. Immutable.")
  private String registryName;

  @Default("AzureContainerRegistry")
  @JsonPropertyDescription("The service backing the store. AzureContainerRegistry is the only one.")
  private StoreType storeType = StoreType.AzureContainerRegistry;

  @Default("SingleReplication")
  @ValidationRule(
      value = "self == oldSelf || self == 'GeoReplication'",
      message =
          "spec.replicationStrategy cannot go from GeoReplication back to SingleReplication:"
              + " geo-replication is one way")
  @JsonPropertyDescription(
      "SingleReplication keeps the registry in one region, zone redundant where the region has"
          + " availability zones. GeoReplication adds a replica in the primary region's pair"
          + " (eastus -> westus, westus3 -> eastus, southcentralus -> northcentralus). A store"
          + " may move from SingleReplication to GeoReplication once its primary registry is"
          + " provisioned, never back.")
  private ReplicationStrategy replicationStrategy = ReplicationStrategy.SingleReplication;

  @Size(max = 16)
  @ValidationRule(
      value = "self.all(x, self.exists_one(y, y.name == x.name))",
      message = "spec.privateEndpoints: names must be unique")
  @JsonPropertyDescription(
      "Private endpoints of the registry. After a replica is added, the operator re-applies each"
          + " endpoint and writes the new region's data endpoint record into its private DNS zone.")
  private List<PrivateEndpointSpec> privateEndpoints = new ArrayList<>();

  @Default("Retain")
  @JsonPropertyDescription(
      "Retain (default) leaves the Azure resources in place when the ArtifactStore is deleted;"
          + " Delete removes what the operator created: DNS records, private endpoints, the replica"
          + " and the registry.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @Default("false")
  @JsonPropertyDescription(
      "Lets the store adopt an existing registry that no store has marked (made in the portal or"
          + " with the CLI): the operator marks it adopted with the tag artifactstoreowner and changes"
          + " only what the spec requires. Without it such a registry stalls the store"
          + " (AdoptionRequired). Adopted resources are never deleted, only released.")
  private boolean adoptExisting;

  @JsonPropertyDescription(
      "Secret with a service principal's tenantId, clientId and clientSecret. Without it the"
          + " operator uses its own identity (workload identity in a cluster).")
  private SecretReference credentialsSecretRef;

  public String getSubscriptionId() {
    return subscriptionId;
  }

  public void setSubscriptionId(String subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  public String getResourceGroup() {
    return resourceGroup;
  }

  public void setResourceGroup(String resourceGroup) {
    this.resourceGroup = resourceGroup;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getRegistryName() {
    return registryName;
  }

  public void setRegistryName(String registryName) {
    this.registryName = registryName;
  }

  public StoreType getStoreType() {
    return storeType;
  }

  public void setStoreType(StoreType storeType) {
    this.storeType = storeType;
  }

  public ReplicationStrategy getReplicationStrategy() {
    return replicationStrategy;
  }

  public void setReplicationStrategy(ReplicationStrategy replicationStrategy) {
    this.replicationStrategy = replicationStrategy;
  }

  public List<PrivateEndpointSpec> getPrivateEndpoints() {
    return privateEndpoints;
  }

  public void setPrivateEndpoints(List<PrivateEndpointSpec> privateEndpoints) {
    this.privateEndpoints = privateEndpoints;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public boolean isAdoptExisting() {
    return adoptExisting;
  }

  public void setAdoptExisting(boolean adoptExisting) {
    this.adoptExisting = adoptExisting;
  }

  public SecretReference getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretReference credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
