package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.Started;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One reconcile of one store: the resource as read, what the steps observe in Azure, and the facts
 * they establish. Lives for one reconcile; nothing carries over in memory.
 */
public final class StoreContext {
  final ArtifactStore store;
  final ArtifactStoreStatus previous;
  final Clock clock;
  DesiredStore desired;
  AzureClients.Ports ports;

  /** Ports for another subscription (a DNS zone may live elsewhere), same identity. */
  java.util.function.Function<String, AzureClients.Ports> portsFor;

  /** Per endpoint name: FQDN -> private IPs, as the endpoint publishes them. */
  final java.util.Map<String, java.util.Map<String, List<String>>> endpointDns =
      new java.util.LinkedHashMap<>();

  // Observations for the new status.
  RegistryStatus primary;
  final List<ReplicaStatus> replicas = new ArrayList<>();
  final List<PrivateEndpointStatus> endpoints = new ArrayList<>();
  PendingOperation pending;
  ReplicationStrategy appliedStrategy;
  boolean replicaReady;
  boolean replicasObserved;
  boolean endpointsObserved;

  Fact primaryFact = Fact.unknown("NotObserved", "The registry has not been observed yet.");
  Fact replicaFact = Fact.unknown("NotObserved", "The replica has not been observed yet.");
  Fact dnsFact = Fact.unknown("NotObserved", "Private endpoints have not been observed yet.");

  StoreContext(ArtifactStore store, Clock clock) {
    this.store = store;
    this.previous = store.getStatus() == null ? new ArtifactStoreStatus() : store.getStatus();
    this.clock = clock;
    this.pending = previous.getPendingOperation();
    this.appliedStrategy = previous.getReplicationStrategy();
    this.primary = previous.getPrimary();
  }

  Instant now() {
    return clock.instant();
  }

  /** The operation the previous reconcile left running for {@code step}, if any. */
  PendingOperation pendingFor(String step) {
    return pending != null && step.equals(pending.getStep()) ? pending : null;
  }

  void started(String step, String resourceId, Started started) {
    pending =
        started.pollUrl() == null
            ? null
            : new PendingOperation(step, resourceId, started.pollUrl(), now().toString());
  }

  void clearPending() {
    pending = null;
  }

  PrivateEndpointStatus previousEndpoint(String name) {
    for (PrivateEndpointStatus endpoint : previous.getPrivateEndpoints()) {
      if (name.equals(endpoint.getName())) {
        return endpoint;
      }
    }
    return null;
  }

  public ArtifactStore store() {
    return store;
  }
}
