package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives each ArtifactStore towards its spec. Read it top to bottom: run the chain, record the
 * status (written only when it changed), tell of transitions, come back when the chain said.
 */
@ControllerConfiguration(name = "artifactstore")
public final class ArtifactStoreReconciler
    implements Reconciler<ArtifactStore>, Cleaner<ArtifactStore> {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactStoreReconciler.class);

  private final ReconcileChain chain;
  private final ReconcileSettings settings;
  private final StoreEvents events;
  private final Clock clock;
  private final RandomGenerator random;
  private final ReconcileObserver observer;
  private final DeleteAzureResources delete = new DeleteAzureResources();
  private final StatusWriter status;

  /**
   * Writes a store's new status. Against the API server's current copy of the store, not the
   * informer's: a patch computed from a copy a moment old can name fields the server no longer has,
   * and then fails over and over.
   */
  public interface StatusWriter {
    void write(ArtifactStore store, ArtifactStoreStatus status);
  }

  public ArtifactStoreReconciler(
      ReconcileChain chain,
      ReconcileSettings settings,
      StoreEvents events,
      Clock clock,
      RandomGenerator random,
      ReconcileObserver observer,
      StatusWriter status) {
    this.status = status;
    this.chain = chain;
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.random = random;
    this.observer = observer;
  }

  @Override
  public UpdateControl<ArtifactStore> reconcile(
      ArtifactStore store, Context<ArtifactStore> context) {
    long started = System.nanoTime();
    ReconcileChain.Run run = chain.run(store);
    ArtifactStoreStatus previous = store.getStatus();
    if (run.result() instanceof StepResult.Progressing p
        && ReconcileChain.BUDGET_WAITS.contains(p.reason())
        && readyAtCurrentGeneration(store)) {
      // A resync that could not spend ARM budget learned nothing new: the store stays Ready.
      return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(p.after());
    }
    ArtifactStoreStatus next = StatusRecorder.next(store, run, clock.instant());
    events.transition(store, previous, next, run.outcome());
    Duration after = requeue(run.result());
    boolean changed = !next.equals(previous);
    store.setStatus(next);
    observer.reconciled(
        store, resultLabel(run.outcome()), Duration.ofNanos(System.nanoTime() - started));
    if (changed) {
      status.write(store, next);
    }
    return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(after);
  }

  private static boolean readyAtCurrentGeneration(ArtifactStore store) {
    var ready =
        Conditions.find(
            store.getStatus() == null ? null : store.getStatus().getConditions(), Conditions.READY);
    return ready != null
        && "True".equals(ready.getStatus())
        && java.util.Objects.equals(
            ready.getObservedGeneration(), store.getMetadata().getGeneration());
  }

  private static String resultLabel(Outcome outcome) {
    return switch (outcome.kind()) {
      case READY -> "Ready";
      case PROGRESSING -> "Progressing";
      case STALLED -> "Stalled";
      case FAILED -> "Failed";
    };
  }

  private Duration requeue(StepResult result) {
    if (result instanceof StepResult.Progressing p) {
      return p.after();
    }
    if (result instanceof StepResult.Failed f) {
      return f.after();
    }
    if (result instanceof StepResult.Stalled) {
      return jittered(settings.stalledRetry());
    }
    return jittered(settings.resync());
  }

  /** Spreads resyncs so that stores created together do not poll Azure together. */
  private Duration jittered(Duration period) {
    double spread = settings.jitter() * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(1000, Math.round(period.toMillis() * (1 + spread))));
  }

  @Override
  public DeleteControl cleanup(ArtifactStore store, Context<ArtifactStore> context) {
    observer.deleted(store);
    if (DeleteAzureResources.retains(store)) {
      LOG.info(
          "{}/{} deleted; deletionPolicy Retain leaves its Azure resources in place",
          store.getMetadata().getNamespace(),
          store.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    StoreContext ctx = chain.prepare(store);
    if (ctx.desired == null || ctx.ports == null) {
      events.emit(
          store,
          "Warning",
          "DeleteSkipped",
          "The spec is invalid, so the operator cannot tell which Azure resources to delete; they"
              + " were left in place.");
      return DeleteControl.defaultDelete();
    }
    DeleteAzureResources.Progress progress = delete.run(ctx);
    if (progress.done()) {
      events.emit(
          store,
          "Normal",
          "Deleted",
          "Deleted the Azure resources of " + store.getMetadata().getName() + ".");
      return DeleteControl.defaultDelete();
    }
    LOG.info(
        "{}/{} {}",
        store.getMetadata().getNamespace(),
        store.getMetadata().getName(),
        progress.message());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(progress.after());
  }
}
