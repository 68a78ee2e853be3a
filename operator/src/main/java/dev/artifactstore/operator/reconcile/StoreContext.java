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
import io.fabric8.kubernetes.api.model.Condition;
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

  static final String QUEUED_WRITE = "QueuedWrite";
  static final java.time.Duration QUEUED_WRITE_TTL = java.time.Duration.ofMinutes(10);
  private final PendingOperation queuedWrite;
  ReplicationStrategy appliedStrategy;
  boolean replicaReady;
  boolean replicasObserved;
  boolean endpointsObserved;

  /**
   * Conditions a run of this generation that the ARM budget cut short had just observed as they
   * should be: this run picks up after them instead of reading them again.
   */
  java.util.Set<String> observedMomentsAgo = java.util.Set.of();

  /** Annotations that asked for something this run did: the reconciler removes them. */
  final java.util.Set<String> annotationsDone = new java.util.TreeSet<>();

  /** The registry was created by this reconcile's operation: nothing of it can exist yet. */
  boolean primaryCreatedNow;

  /** Per endpoint name: the records its DNS zone group reports it wrote (name -> IPs). */
  final java.util.Map<String, java.util.Map<String, List<String>>> zoneGroupRecords =
      new java.util.LinkedHashMap<>();

  // A fact the chain does not get to observe keeps what the last run found for this generation.
  Fact primaryFact;
  Fact replicaFact;
  Fact dnsFact;

  StoreContext(ArtifactStore store, Clock clock) {
    this.store = store;
    this.previous = store.getStatus() == null ? new ArtifactStoreStatus() : store.getStatus();
    this.clock = clock;
    PendingOperation last = previous.getPendingOperation();
    if (last != null && QUEUED_WRITE.equals(last.getStep())) {
      // One-shot: the write goes out in this run or is queued again.
      this.queuedWrite = last;
      this.pending = null;
    } else {
      this.queuedWrite = null;
      this.pending = last;
    }
    this.appliedStrategy = previous.getReplicationStrategy();
    this.primary = previous.getPrimary();
    this.primaryFact = carried(Conditions.PRIMARY_READY, "The registry has not been observed yet.");
    this.replicaFact = carried(Conditions.REPLICA_READY, "The replica has not been observed yet.");
    this.dnsFact = carried(Conditions.DNS_READY, "Private endpoints have not been observed yet.");
  }

  long generation() {
    Long g = store.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private Condition current(String type) {
    Condition c = Conditions.find(previous.getConditions(), type);
    return c != null
            && c.getObservedGeneration() != null
            && c.getObservedGeneration().longValue() == generation()
        ? c
        : null;
  }

  private Fact carried(String type, String notObserved) {
    Condition c = current(type);
    return c == null
        ? Fact.unknown("NotObserved", notObserved)
        : new Fact(c.getStatus(), c.getReason(), c.getMessage());
  }

  /**
   * Whether a step that an earlier run of this generation found done may be taken as still done:
   * only while the store is being built and the last run stopped, making progress, at one of {@code
   * laterReasons}. A failure, a new generation or Ready (whose resync observes everything) ends the
   * trust.
   */
  /**
   * Whether the last run of this generation stopped, making progress, at one of {@code reasons}.
   */
  boolean lastStoppedAt(java.util.Set<String> reasons) {
    Condition reconciling = current(Conditions.RECONCILING);
    return reconciling != null
        && "True".equals(reconciling.getStatus())
        && reasons.contains(reconciling.getReason());
  }

  /** Whether the last run of this generation found the store Stalled for {@code reason}. */
  boolean lastStalledFor(String reason) {
    Condition stalled = current(Conditions.STALLED);
    return stalled != null
        && "True".equals(stalled.getStatus())
        && reason.equals(stalled.getReason());
  }

  boolean stillDone(String type, java.util.Set<String> laterReasons) {
    if (observedMomentsAgo.contains(type)) {
      return true;
    }
    Condition fact = current(type);
    Condition reconciling = current(Conditions.RECONCILING);
    return fact != null
        && "True".equals(fact.getStatus())
        && reconciling != null
        && "True".equals(reconciling.getStatus())
        && laterReasons.contains(reconciling.getReason());
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

  /**
   * The operator's budget queued a write of {@code resourcePath}; the ticket is in memory. Queued
   * again on its return (its turn had not come), it is the same queued write: the status does not
   * change.
   */
  void queued(String resourcePath) {
    pending =
        queuedWrite(resourcePath)
            ? queuedWrite
            : new PendingOperation(QUEUED_WRITE, resourcePath, null, now().toString());
  }

  /**
   * Whether the last run found {@code resourceId} needing a write and queued it, recently: the
   * write goes out now without reading the resource again (the write is declarative, so a resource
   * changed meanwhile ends up as the spec says all the same).
   */
  boolean queuedWrite(String resourceId) {
    return queuedWrite != null
        && resourceId.equalsIgnoreCase(queuedWrite.getResourceId())
        && queuedRecently();
  }

  /** Whether the last run queued a write of something under {@code prefix} (a child resource). */
  boolean queuedWriteUnder(String prefix) {
    return queuedWrite != null
        && queuedWrite.getResourceId() != null
        && queuedWrite
            .getResourceId()
            .toLowerCase(java.util.Locale.ROOT)
            .startsWith(prefix.toLowerCase(java.util.Locale.ROOT))
        && queuedRecently();
  }

  private boolean queuedRecently() {
    try {
      return java.time.Duration.between(Instant.parse(queuedWrite.getStartedAt()), now())
              .compareTo(QUEUED_WRITE_TTL)
          < 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * A read the budget held back before a queued write went out: the write stays queued for the
   * store's return.
   */
  void keepQueuedWrite() {
    if (pending == null && queuedWrite != null) {
      pending = queuedWrite;
    }
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
