package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last observed and did. */
public class ArtifactStoreStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "The replication strategy applied in Azure. Geo-replication is one way: once this is"
          + " GeoReplication the operator refuses SingleReplication even if admission was bypassed.")
  private ReplicationStrategy replicationStrategy;

  @JsonPropertyDescription("Login server of the registry, e.g. contosoartifacts.azurecr.io.")
  private String loginServer;

  @JsonPropertyDescription("Region that accepts pushes: the primary.")
  private String pushRegion;

  @JsonPropertyDescription("The primary registry.")
  private RegistryStatus primary;

  @JsonPropertyDescription("Replicas outside the primary region.")
  private List<ReplicaStatus> replicas = new ArrayList<>();

  @JsonPropertyDescription("Private endpoints and their DNS records.")
  private List<PrivateEndpointStatus> privateEndpoints = new ArrayList<>();

  @JsonPropertyDescription(
      "The Azure operation the operator is waiting for, if any; a restarted operator resumes it.")
  private PendingOperation pendingOperation;

  @JsonPropertyDescription(
      "Ready, Reconciling, Stalled, PrimaryReady, ReplicaReady and PrivateEndpointDnsReady, each"
          + " with the generation it was computed for.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public ReplicationStrategy getReplicationStrategy() {
    return replicationStrategy;
  }

  public void setReplicationStrategy(ReplicationStrategy replicationStrategy) {
    this.replicationStrategy = replicationStrategy;
  }

  public String getLoginServer() {
    return loginServer;
  }

  public void setLoginServer(String loginServer) {
    this.loginServer = loginServer;
  }

  public String getPushRegion() {
    return pushRegion;
  }

  public void setPushRegion(String pushRegion) {
    this.pushRegion = pushRegion;
  }

  public RegistryStatus getPrimary() {
    return primary;
  }

  public void setPrimary(RegistryStatus primary) {
    this.primary = primary;
  }

  public List<ReplicaStatus> getReplicas() {
    return replicas;
  }

  public void setReplicas(List<ReplicaStatus> replicas) {
    this.replicas = replicas;
  }

  public List<PrivateEndpointStatus> getPrivateEndpoints() {
    return privateEndpoints;
  }

  public void setPrivateEndpoints(List<PrivateEndpointStatus> privateEndpoints) {
    this.privateEndpoints = privateEndpoints;
  }

  public PendingOperation getPendingOperation() {
    return pendingOperation;
  }

  public void setPendingOperation(PendingOperation pendingOperation) {
    this.pendingOperation = pendingOperation;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /**
   * A new status, this one with {@code conditions} in place of its own; the rest is shared, as a
   * status is replaced, never changed in place.
   */
  public ArtifactStoreStatus withConditions(List<Condition> conditions) {
    ArtifactStoreStatus copy = new ArtifactStoreStatus();
    copy.observedGeneration = observedGeneration;
    copy.replicationStrategy = replicationStrategy;
    copy.loginServer = loginServer;
    copy.pushRegion = pushRegion;
    copy.primary = primary;
    copy.replicas = replicas;
    copy.privateEndpoints = privateEndpoints;
    copy.pendingOperation = pendingOperation;
    copy.conditions = conditions;
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArtifactStoreStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && replicationStrategy == s.replicationStrategy
        && Objects.equals(loginServer, s.loginServer)
        && Objects.equals(pushRegion, s.pushRegion)
        && Objects.equals(primary, s.primary)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(privateEndpoints, s.privateEndpoints)
        && Objects.equals(pendingOperation, s.pendingOperation)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        replicationStrategy,
        loginServer,
        pushRegion,
        primary,
        replicas,
        privateEndpoints,
        pendingOperation,
        conditions);
  }
}
