package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.RegistryStatus;
import java.time.Instant;
import java.util.ArrayList;

/**
 * Builds the next status from what a run's steps found: the one place status is assembled. What no
 * step found in this run is kept as {@code store}'s status has it: the status the run began with,
 * or the one the API server has now when the store changed meanwhile (a status write refused).
 */
public final class StatusRecorder {
  private StatusRecorder() {}

  public static ArtifactStoreStatus next(ArtifactStore store, ReconcileChain.Run run, Instant now) {
    StoreContext ctx = run.context();
    ArtifactStoreStatus previous =
        store.getStatus() == null ? new ArtifactStoreStatus() : store.getStatus();
    Findings found = ctx.findings();
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    status.setObservedGeneration(ctx.generation());

    RegistryStatus primary =
        found.primary() == null ? previous.getPrimary() : found.primary().registry();
    status.setPrimary(primary);
    if (primary != null && ctx.desired != null) {
      status.setLoginServer(ctx.desired.loginServer());
      status.setPushRegion(ctx.desired.region());
    } else {
      status.setLoginServer(previous.getLoginServer());
      status.setPushRegion(previous.getPushRegion());
    }

    if (found.replicas() == null) {
      status.setReplicationStrategy(previous.getReplicationStrategy());
      status.setReplicas(previous.getReplicas());
    } else {
      status.setReplicationStrategy(found.replicas().strategy());
      status.setReplicas(new ArrayList<>(found.replicas().replicas()));
    }

    if (found.records() != null) {
      status.setPrivateEndpoints(new ArrayList<>(found.records().endpoints()));
    } else if (found.endpoints() != null) {
      status.setPrivateEndpoints(new ArrayList<>(found.endpoints().endpoints()));
    } else {
      status.setPrivateEndpoints(previous.getPrivateEndpoints());
    }
    status.setPendingOperation(ctx.pending());

    Fact dns = found.records() == null ? null : found.records().fact();
    if (dns == null && found.endpoints() != null) {
      dns = found.endpoints().fact();
    }
    status.setConditions(
        Conditions.compute(
            ctx.generation(),
            new Conditions.Facts(
                found.primary() == null
                    ? ctx.lastFact(previous, Conditions.PRIMARY_READY)
                    : found.primary().fact(),
                found.replicas() == null
                    ? ctx.lastFact(previous, Conditions.REPLICA_READY)
                    : found.replicas().fact(),
                dns == null ? ctx.lastFact(previous, Conditions.DNS_READY) : dns),
            run.outcome(),
            previous.getConditions(),
            now));
    return status;
  }
}
