package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import java.time.Instant;
import java.util.ArrayList;

/** Builds the next status from a chain run: the one place status is written from. */
public final class StatusRecorder {
  private StatusRecorder() {}

  public static ArtifactStoreStatus next(ArtifactStore store, ReconcileChain.Run run, Instant now) {
    StoreContext ctx = run.context();
    ArtifactStoreStatus previous = ctx.previous;
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    long generation =
        store.getMetadata().getGeneration() == null ? 0 : store.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    status.setReplicationStrategy(ctx.appliedStrategy);
    status.setPrimary(ctx.primary);
    if (ctx.primary != null && ctx.desired != null) {
      status.setLoginServer(ctx.desired.loginServer());
      status.setPushRegion(ctx.desired.region());
    } else {
      status.setLoginServer(previous.getLoginServer());
      status.setPushRegion(previous.getPushRegion());
    }
    status.setReplicas(
        ctx.replicasObserved ? new ArrayList<>(ctx.replicas) : previous.getReplicas());
    status.setPrivateEndpoints(
        ctx.endpointsObserved ? new ArrayList<>(ctx.endpoints) : previous.getPrivateEndpoints());
    status.setPendingOperation(ctx.pending);
    status.setConditions(
        Conditions.compute(
            generation,
            new Conditions.Facts(ctx.primaryFact, ctx.replicaFact, ctx.dnsFact),
            run.outcome(),
            previous.getConditions(),
            now));
    return status;
  }
}
