package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.WriteTurns;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One reconcile of one store: the resource as read, the desired state and Azure ports the first
 * steps establish, what the steps found, and the one operation the store may have under way. Lives
 * for one reconcile; nothing carries over in memory.
 */
public final class StoreContext {
  static final String QUEUED_WRITE = "QueuedWrite";

  /**
   * How old the read behind a queued write may be for the write to go out without reading again.
   * Beyond it, the resource may have been created or marked by someone else meanwhile: ownership is
   * decided on a fresh read.
   */
  static final Duration QUEUED_WRITE_TTL = Duration.ofSeconds(30);

  final ArtifactStore store;
  final ArtifactStoreStatus previous;
  private final Clock clock;

  /** This cluster's name in the marks on what the operator creates. */
  final String clusterId;

  /** The spec after validation; set once, by {@link ValidateSpec}. */
  DesiredStore desired;

  /** The name of the identity the store acts with (never a secret); set with the ports. */
  String identity;

  /** Ports for the store's subscription; set once, by {@link Credentials}. */
  AzureClients.Ports ports;

  /** The write budget's turns; none in tests without a budget. */
  WriteTurns turns = WriteTurns.NONE;

  /** Writes this process may send unread; every record trusted in tests of one step. */
  Shortcuts shortcuts = Shortcuts.TRUSTING;

  /** Ports for another subscription (an endpoint or a zone may live elsewhere), same identity. */
  Function<String, AzureClients.Ports> portsFor;

  private Findings findings = Findings.NONE;
  private PendingOperation pending;
  private final PendingOperation queuedWrite;

  /** Annotations that asked for something this run did: the reconciler removes them. */
  final Set<String> annotationsDone = new TreeSet<>();

  /** Something a human should know that no condition says: the reconciler makes each an Event. */
  record Notice(String reason, String message) {}

  final List<Notice> notices = new ArrayList<>();

  StoreContext(ArtifactStore store, Clock clock, String clusterId) {
    this.clusterId = clusterId;
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
  }

  public ArtifactStore store() {
    return store;
  }

  Findings findings() {
    return findings;
  }

  void found(Findings.Primary found) {
    findings = findings.with(found);
  }

  void found(Findings.Replicas found) {
    findings = findings.with(found);
  }

  void found(Findings.Endpoints found) {
    findings = findings.with(found);
  }

  void found(Findings.Records found) {
    findings = findings.with(found);
  }

  /** Forgets what the endpoint step found: the DNS step, which completes it, was cut short. */
  void forgetEndpoints() {
    findings = new Findings(findings.primary(), findings.replicas(), null, null);
  }

  long generation() {
    Long g = store.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  Instant now() {
    return clock.instant();
  }

  /** The last run's condition of {@code type}, if it was computed for this generation. */
  Condition current(String type) {
    return current(previous, type);
  }

  /** As {@link #current(String)}, in {@code status} rather than the status this run began with. */
  Condition current(ArtifactStoreStatus status, String type) {
    Condition c = Conditions.find(status.getConditions(), type);
    return c != null
            && c.getObservedGeneration() != null
            && c.getObservedGeneration().longValue() == generation()
        ? c
        : null;
  }

  /** What the last run of this generation found for {@code type}: a fact this run keeps. */
  Fact lastFact(String type) {
    return lastFact(previous, type);
  }

  /** As {@link #lastFact(String)}, in {@code status} rather than the status this run began with. */
  Fact lastFact(ArtifactStoreStatus status, String type) {
    Condition c = current(status, type);
    if (c != null) {
      return new Fact(c.getStatus(), c.getReason(), c.getMessage());
    }
    return Fact.unknown(
        "NotObserved",
        switch (type) {
          case Conditions.PRIMARY_READY -> "The registry has not been observed yet.";
          case Conditions.REPLICA_READY -> "The replica has not been observed yet.";
          default -> "Private endpoints have not been observed yet.";
        });
  }

  /**
   * Whether a shared listing may stand for a read of what it shows in order: only on a resync of a
   * store the last run found Ready for this generation. A new spec, a store not Ready, or one
   * resuming from a pause (it resumes from what Azure has) is read.
   */
  boolean listingsServe() {
    Condition reconciling = current(Conditions.RECONCILING);
    boolean resuming = reconciling != null && HonourPause.PAUSED.equals(reconciling.getReason());
    return lastFoundTrue(Conditions.READY) && !resuming;
  }

  /** Whether the last run of this generation found {@code type} True. */
  boolean lastFoundTrue(String type) {
    Condition c = current(type);
    return c != null && "True".equals(c.getStatus());
  }

  /** Where the last run of this generation stopped, making progress; null when it did not. */
  String lastProgressReason() {
    Condition reconciling = current(Conditions.RECONCILING);
    return reconciling != null && "True".equals(reconciling.getStatus())
        ? reconciling.getReason()
        : null;
  }

  /**
   * Whether the last run of this generation stopped, making progress, at one of {@code reasons}.
   */
  boolean lastStoppedAt(Set<String> reasons) {
    String reason = lastProgressReason();
    return reason != null && reasons.contains(reason);
  }

  /** Whether the last run of this generation found the store Stalled for {@code reason}. */
  boolean lastStalledFor(String reason) {
    Condition stalled = current(Conditions.STALLED);
    return stalled != null
        && "True".equals(stalled.getStatus())
        && reason.equals(stalled.getReason());
  }

  PrivateEndpointStatus previousEndpoint(String name) {
    for (PrivateEndpointStatus endpoint : previous.getPrivateEndpoints()) {
      if (name.equals(endpoint.getName())) {
        return endpoint;
      }
    }
    return null;
  }

  /** The operation under way when the run ends; null when there is none. */
  PendingOperation pending() {
    return pending;
  }

  /** The operation the previous reconcile left running for {@code step}, if any. */
  PendingOperation pendingFor(String step) {
    return pending != null && step.equals(pending.getStep()) ? pending : null;
  }

  /**
   * Polls the store's operation under way. A poll URL that is not on the ARM endpoint is not
   * requested: it reads as an operation Azure no longer knows, so the resource is read instead.
   */
  OperationState poll(PendingOperation operation) {
    OperationState state = ports.registries().poll(operation.getPollUrl());
    if (OperationState.FOREIGN_POLL_URL.equals(state.code())) {
      notices.add(new Notice(OperationState.FOREIGN_POLL_URL, state.message()));
    }
    return state;
  }

  void started(String step, String resourceId, Started started) {
    pending =
        started.pollUrl() == null
            ? null
            : new PendingOperation(step, resourceId, started.pollUrl(), now().toString());
    if (pending != null) {
      shortcuts.issue(store, pending, now());
    }
  }

  void clearPending() {
    pending = null;
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
    // Held back before it was sent: it may go out unread when its turn comes.
    shortcuts.issue(store, pending, now());
  }

  /**
   * Whether the write of {@code resourceId} the last run queued may go out now without reading the
   * resource again: queued less than {@link #QUEUED_WRITE_TTL} ago, by this process, and not sent
   * since (see {@link Shortcuts}).
   */
  boolean useQueuedWrite(String resourceId) {
    return queuedWrite(resourceId) && shortcuts.use(store, queuedWrite);
  }

  /** As {@link #useQueuedWrite}, for a write of something under {@code prefix}. */
  boolean useQueuedWriteUnder(String prefix) {
    return queuedWriteUnder(prefix) && shortcuts.use(store, queuedWrite);
  }

  /**
   * Whether the operation the last run left running, which has now ended, was started by this
   * process and nothing was written since on the strength of its end (see {@link Shortcuts}).
   */
  boolean endedHereFirst() {
    return shortcuts.use(store, previous.getPendingOperation());
  }

  /**
   * Before reading what this run will most likely create: the read goes out only when the write can
   * follow it at once. Until then the store waits for its turn as for a read held back, reading
   * nothing; a turn that has come is kept for the write.
   */
  void awaitWriteTurn(String resourceId) {
    Duration wait = turns.take(resourceId);
    if (!wait.isZero()) {
      throw new AzureFailure(
          AzureFailure.Kind.THROTTLED,
          429,
          ArmBudget.QUEUED,
          "the operator's ARM write budget has places for writes queued earlier; "
              + resourceId
              + " is read and written when its turn comes",
          wait);
    }
  }

  /** What the read found needs no write after all: the turn goes back to the budget. */
  void releaseWriteTurn(String resourceId) {
    turns.release(resourceId);
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

  /**
   * Whether the last run found {@code resourceId} needing a write and queued it less than {@link
   * #QUEUED_WRITE_TTL} ago: the write goes out now without reading the resource again. An older one
   * is read first, so what someone else created or marked meanwhile is not written over.
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
            .toLowerCase(Locale.ROOT)
            .startsWith(prefix.toLowerCase(Locale.ROOT))
        && queuedRecently();
  }

  private boolean queuedRecently() {
    try {
      return Duration.between(Instant.parse(queuedWrite.getStartedAt()), now())
              .compareTo(QUEUED_WRITE_TTL)
          < 0;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
