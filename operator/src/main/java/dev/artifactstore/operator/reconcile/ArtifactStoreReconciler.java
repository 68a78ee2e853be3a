package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Drives each ArtifactStore towards its spec. Read it top to bottom: make sure the finalizer is on,
 * run the chain, record the status (written only when it changed), tell of transitions, come back
 * when the chain said. A store marked for deletion is cleaned up instead.
 *
 * <p>The reconciler manages its finalizer itself ({@code triggerReconcilerOnAllEvents}): the
 * framework's own handling adds the finalizer in one reconcile and runs the chain only on the event
 * that write causes, so a new fleet of a thousand stores waited for a thousand API writes before
 * its first Azure request. Here the finalizer is written and the chain run in the same reconcile,
 * and no Azure request is made for a store without it.
 */
@ControllerConfiguration(
    name = "artifactstore",
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = StoreUpdates.class))
public final class ArtifactStoreReconciler implements Reconciler<ArtifactStore> {
  /** The name the framework gave it when it managed the finalizer, so stores made then keep it. */
  public static final String FINALIZER =
      ReconcilerUtils.getDefaultFinalizerName(ArtifactStore.class);

  private final ReconcileChain chain;
  private final ReconcileSettings settings;
  private final StoreEvents events;
  private final Clock clock;
  private final RandomGenerator random;
  private final ReconcileObserver observer;
  private final StatusWriter status;
  private final StoreDeletion deletion;
  private final SubscriptionShares shares;

  /**
   * Writes a store's new status, the whole of it. Never as a patch computed from the informer's
   * copy: one a moment old can name fields the server no longer has, and then fails over and over.
   * Only over the store it was computed from: a store changed since (another resourceVersion) is
   * refused with a 409 {@link KubernetesClientException}.
   */
  public interface StatusWriter {
    void write(ArtifactStore store, ArtifactStoreStatus status);
  }

  /** How many times a status refused as computed from an older store is computed again. */
  static final int STATUS_CONFLICT_RETRIES = 3;

  /** What else a change of reconciles a store: watches of other resources (credential Secrets). */
  public interface EventSources {
    List<EventSource<?, ArtifactStore>> prepare(EventSourceContext<ArtifactStore> context);
  }

  private final EventSources eventSources;

  @Override
  public List<EventSource<?, ArtifactStore>> prepareEventSources(
      EventSourceContext<ArtifactStore> context) {
    // A shared listing that shows a store's resource changed reconciles that store at once.
    // So does a thread of its subscription coming free for a store waiting for one.
    SimpleInboundEventSource<ArtifactStore> listed = new SimpleInboundEventSource<>("listings");
    chain.wakeWith(listed::propagateEvent);
    shares.wakeWith(listed::propagateEvent);
    List<EventSource<?, ArtifactStore>> sources = new ArrayList<>(eventSources.prepare(context));
    sources.add(listed);
    return sources;
  }

  public ArtifactStoreReconciler(
      ReconcileChain chain,
      ReconcileSettings settings,
      StoreEvents events,
      Clock clock,
      RandomGenerator random,
      ReconcileObserver observer,
      EventSources eventSources,
      StatusWriter status,
      int threads) {
    this.eventSources = eventSources;
    this.shares = new SubscriptionShares(threads, clock);
    this.status = status;
    this.chain = chain;
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.random = random;
    this.observer = observer;
    this.deletion = new StoreDeletion(chain, events, status, settings, clock);
  }

  @Override
  public UpdateControl<ArtifactStore> reconcile(
      ArtifactStore store, Context<ArtifactStore> context) {
    String subscription = subscriptionOf(store);
    ResourceID id = ResourceID.fromResource(store);
    if (context.isPrimaryResourceDeleted()) {
      observer.deleted(store);
      shares.forget(subscription, id);
      return UpdateControl.noUpdate();
    }
    if (!shares.enter(subscription, id)) {
      // Its subscription has its share of the threads: it goes when one of those runs ends.
      return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(SubscriptionShares.ACTIVE);
    }
    ReconcileChain.Run run;
    long started = System.nanoTime();
    try {
      if (store.isMarkedForDeletion()) {
        return store.hasFinalizer(FINALIZER) ? cleanup(store, context) : UpdateControl.noUpdate();
      }
      if (!store.hasFinalizer(FINALIZER) && !addFinalizer(store, context)) {
        return UpdateControl.noUpdate();
      }
      run = chain.run(store);
    } finally {
      shares.leave(subscription);
    }
    ArtifactStoreStatus previous = store.getStatus();
    if (run.result() instanceof StepResult.Progressing p
        && AwaitArmBudget.BUDGET_WAITS.contains(p.reason())
        && readyAtCurrentGeneration(store)) {
      // A resync that could not spend ARM budget learned nothing new: the store stays Ready.
      return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(p.after());
    }
    if (!run.context().annotationsDone.isEmpty()) {
      removeAnnotations(store, run.context().annotationsDone, context);
    }
    run.context().notices.forEach(n -> events.emit(store, "Warning", n.reason(), n.message()));
    ArtifactStoreStatus next = StatusRecorder.next(store, run, clock.instant());
    Duration after =
        run.result() instanceof StepResult.Done && !readyAtCurrentGeneration(store)
            // Just built: everything was observed a moment ago, so its first resync comes a full
            // period later; stores built one after the other are spread already.
            ? settings.resync()
            : requeue(run.result());
    Written written =
        next.equals(previous) ? new Written(previous, next) : write(store, run, next, context);
    if (written == null) {
      // Gone, or its spec changed since this run read it: the event that says so reconciles it.
      return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(settings.resync());
    }
    events.transition(store, written.before(), written.after(), run.outcome());
    store.setStatus(written.after());
    observer.reconciled(
        store, resultLabel(run.outcome()), Duration.ofNanos(System.nanoTime() - started));
    return UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(after);
  }

  /** The status a write replaced, and the one it wrote. */
  private record Written(ArtifactStoreStatus before, ArtifactStoreStatus after) {}

  /**
   * Writes the status computed from {@code store}. Refused because the store changed since (the
   * informer's copy was older than the API server's, or someone else wrote), the store is read
   * again and the status computed again from this run's observations of Azure and the status the
   * store has now, never written over it. Null when the store is gone or its spec changed: this
   * run's observations were made for the older spec.
   */
  private Written write(
      ArtifactStore store,
      ReconcileChain.Run run,
      ArtifactStoreStatus next,
      Context<ArtifactStore> context) {
    ArtifactStore current = store;
    ArtifactStoreStatus status = next;
    for (int attempt = 0; ; attempt++) {
      try {
        this.status.write(current, status);
        return new Written(current.getStatus(), status);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == STATUS_CONFLICT_RETRIES) {
          throw e;
        }
      }
      ArtifactStore fresh =
          context
              .getClient()
              .resources(ArtifactStore.class)
              .inNamespace(store.getMetadata().getNamespace())
              .withName(store.getMetadata().getName())
              .get();
      if (fresh == null
          || fresh.isMarkedForDeletion()
          || !Objects.equals(
              fresh.getMetadata().getGeneration(), store.getMetadata().getGeneration())) {
        return null;
      }
      status = StatusRecorder.next(fresh, run, clock.instant());
      current = fresh;
      if (status.equals(fresh.getStatus())) {
        return new Written(status, status);
      }
    }
  }

  private static boolean readyAtCurrentGeneration(ArtifactStore store) {
    var ready =
        Conditions.find(
            store.getStatus() == null ? null : store.getStatus().getConditions(), Conditions.READY);
    return ready != null
        && "True".equals(ready.getStatus())
        && Objects.equals(ready.getObservedGeneration(), store.getMetadata().getGeneration());
  }

  private static String resultLabel(Outcome outcome) {
    return switch (outcome.kind()) {
      case READY -> "Ready";
      case PROGRESSING -> "Progressing";
      case STALLED -> "Stalled";
      case FAILED -> "Failed";
      case PAUSED -> "Paused";
    };
  }

  private Duration requeue(StepResult result) {
    if (result instanceof StepResult.Progressing p) {
      return p.after();
    }
    if (result instanceof StepResult.Failed f) {
      return f.after();
    }
    if (result instanceof StepResult.Stalled || result instanceof StepResult.Paused) {
      return jittered(settings.stalledRetry());
    }
    return jittered(settings.resync());
  }

  /**
   * Spreads resyncs so that stores created together do not poll Azure together, and only ever
   * earlier: a store is observed again at most one period after the last time.
   */
  private Duration jittered(Duration period) {
    double spread = -settings.jitter() * random.nextDouble();
    return Duration.ofMillis(Math.max(1000, Math.round(period.toMillis() * (1 + spread))));
  }

  /** Removes annotations that asked for something the run has done (a one-shot request). */
  private static void removeAnnotations(
      ArtifactStore store, Set<String> done, Context<ArtifactStore> context) {
    try {
      context
          .getClient()
          .resources(ArtifactStore.class)
          .inNamespace(store.getMetadata().getNamespace())
          .withName(store.getMetadata().getName())
          .edit(
              s -> {
                if (s.getMetadata().getAnnotations() != null) {
                  done.forEach(s.getMetadata().getAnnotations()::remove);
                }
                return s;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** False if the store is gone: deleted before its first reconcile. */
  private static boolean addFinalizer(ArtifactStore store, Context<ArtifactStore> context) {
    try {
      ArtifactStore added =
          PrimaryUpdateAndCacheUtils.addFinalizer(context.getClient(), store, FINALIZER);
      store.addFinalizer(FINALIZER);
      if (added != null && Objects.equals(added.getStatus(), store.getStatus())) {
        // The store as read but for the finalizer: its status may be written over this version.
        store.getMetadata().setResourceVersion(added.getMetadata().getResourceVersion());
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The subscription a store's threads are counted against ("" when its spec names none). */
  private static String subscriptionOf(ArtifactStore store) {
    return store.getSpec() == null || store.getSpec().getSubscriptionId() == null
        ? ""
        : store.getSpec().getSubscriptionId();
  }

  /**
   * Deletes what {@code deletionPolicy} says, then lets the store go. Stays until every deletion
   * has finished; the store is gone (and its metrics with it) on the delete event that follows.
   */
  private UpdateControl<ArtifactStore> cleanup(
      ArtifactStore store, Context<ArtifactStore> context) {
    StoreDeletion.Verdict verdict = deletion.run(store);
    return verdict.release()
        ? release(store, context)
        : UpdateControl.<ArtifactStore>noUpdate().rescheduleAfter(verdict.after());
  }

  private static UpdateControl<ArtifactStore> release(
      ArtifactStore store, Context<ArtifactStore> context) {
    try {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context.getClient(), store, FINALIZER);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    return UpdateControl.noUpdate();
  }
}
