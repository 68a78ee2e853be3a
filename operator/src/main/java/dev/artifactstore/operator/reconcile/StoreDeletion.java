package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store marked for deletion: what {@code deletionPolicy} says is deleted, and the store goes only
 * then. Whatever blocks deletion (credentials gone, a permission, a lock) shows as {@code
 * Deleting=False} with its reason and an Event, and is retried; nothing is orphaned silently. The
 * annotation {@code artifactstore.dev/abandon: "true"} lets the store go at once, Azure untouched.
 */
final class StoreDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(StoreDeletion.class);

  /** Let the store go now, or come back after {@code after}. */
  record Verdict(boolean release, Duration after) {
    static final Verdict RELEASE = new Verdict(true, Duration.ZERO);
  }

  private final ReconcileChain chain;
  private final DeleteAzureResources delete = new DeleteAzureResources();
  private final StoreEvents events;
  private final ArtifactStoreReconciler.StatusWriter status;
  private final ReconcileSettings settings;
  private final Clock clock;

  StoreDeletion(
      ReconcileChain chain,
      StoreEvents events,
      ArtifactStoreReconciler.StatusWriter status,
      ReconcileSettings settings,
      Clock clock) {
    this.chain = chain;
    this.events = events;
    this.status = status;
    this.settings = settings;
    this.clock = clock;
  }

  Verdict run(ArtifactStore store) {
    String name = store.getMetadata().getNamespace() + "/" + store.getMetadata().getName();
    if (DeleteAzureResources.retains(store)) {
      LOG.info("{} deleted; deletionPolicy Retain leaves its Azure resources in place", name);
      return Verdict.RELEASE;
    }
    if (DeleteAzureResources.abandoned(store)) {
      events.emit(
          store,
          "Warning",
          "Abandoned",
          "The store was let go without deleting its Azure resources, as "
              + DeleteAzureResources.ABANDON_ANNOTATION
              + " asks.");
      return Verdict.RELEASE;
    }
    ReconcileChain.Run prepared = chain.prepare(store);
    StoreContext ctx = prepared.context();
    if (ctx.desired == null) {
      events.emit(
          store,
          "Warning",
          "DeleteSkipped",
          "The spec is invalid, so the operator cannot tell which Azure resources to delete; they"
              + " were left in place.");
      return Verdict.RELEASE;
    }
    if (ctx.ports == null) {
      // Outside the namespace's scopes, paused, or without credentials: deletion waits.
      Outcome why = prepared.outcome();
      boolean credentials =
          !why.reason().equals(CheckScopes.NOT_ALLOWED) && !why.reason().equals(HonourPause.PAUSED);
      return blocked(
          store,
          credentials ? "CredentialsUnavailable" : why.reason(),
          why.message()
              + (credentials ? " Deletion waits for the credentials; " : " Deletion waits; ")
              + DeleteAzureResources.ABANDON_HINT,
          settings.stalledRetry());
    }
    DeleteAzureResources.Progress progress = delete.run(ctx);
    if (progress.done()) {
      chain.forget(ctx);
      events.emit(
          store,
          "Normal",
          "Deleted",
          "Deleted the Azure resources of " + store.getMetadata().getName() + ".");
      return Verdict.RELEASE;
    }
    if (progress.blocked() != null) {
      return blocked(store, progress.blocked(), progress.message(), progress.after());
    }
    LOG.info("{} {}", name, progress.message());
    record(store, Fact.isTrue("DeletingAzureResources", progress.message()));
    return new Verdict(false, progress.after());
  }

  private Verdict blocked(ArtifactStore store, String reason, String message, Duration after) {
    if (record(store, Fact.isFalse(reason, message))) {
      events.emit(store, "Warning", reason, message);
    }
    return new Verdict(false, after);
  }

  /** Writes the Deleting condition; true when it changed (status or reason). */
  private boolean record(ArtifactStore store, Fact fact) {
    ArtifactStoreStatus previous =
        store.getStatus() == null ? new ArtifactStoreStatus() : store.getStatus();
    Condition before = Conditions.find(previous.getConditions(), Conditions.DELETING);
    long generation =
        store.getMetadata().getGeneration() == null ? 0 : store.getMetadata().getGeneration();
    List<Condition> conditions =
        Conditions.with(
            previous.getConditions(), Conditions.DELETING, fact, generation, clock.instant());
    Condition after = Conditions.find(conditions, Conditions.DELETING);
    if (before != null && Objects.equals(before, after)) {
      return false;
    }
    ArtifactStoreStatus next = previous.withConditions(conditions);
    store.setStatus(next);
    status.write(store, next);
    return before == null
        || !Objects.equals(before.getStatus(), after.getStatus())
        || !Objects.equals(before.getReason(), after.getReason());
  }
}
