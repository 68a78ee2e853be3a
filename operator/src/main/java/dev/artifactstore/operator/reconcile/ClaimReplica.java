package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.azure.Replica;
import java.util.Map;

/**
 * Before the replica step writes or deletes an existing replica, the replica must be this store's:
 * marked by it, or now marked because the store may have it (built by this store before marks
 * existed, adopted as {@code spec.adoptExisting} allows, or taken over from another cluster). The
 * mark goes in with a write of the replica's tags alone.
 */
final class ClaimReplica {
  static final String MARKING = "MarkingReplica";

  private ClaimReplica() {}

  /** Done when the replica is this store's; else why the chain stops here. */
  static StepResult claim(StoreContext ctx, Replica replica) {
    DesiredStore d = ctx.desired;
    Map<String, String> tags = replica.tags();
    Ownership.Claim claim = Ownership.claim(ctx, tags, builtBeforeMarks(ctx, replica));
    if (claim instanceof Ownership.Claim.Owned) {
      return StepResult.done();
    }
    if (claim instanceof Ownership.Claim.Foreign foreign) {
      // Not this store's: its status does not record it, so nothing ever takes it for built here.
      return stop(
          ctx,
          "OwnedByAnotherStore",
          "The replica "
              + replica.id()
              + " belongs to the ArtifactStore "
              + foreign.owner().owner()
              + " (tag "
              + Ownership.TAG
              + "); this store changes nothing of it. Remove the mark if it is wrong"
              + Ownership.takeOverHint(ctx, foreign.owner())
              + ".");
    }
    if (claim instanceof Ownership.Claim.AdoptionRequired) {
      return stop(
          ctx,
          "AdoptionRequired",
          "The replica "
              + replica.id()
              + " already exists and no ArtifactStore has marked it. Set spec.adoptExisting: true"
              + " to let this store adopt it (it is marked adopted and never deleted).");
    }
    Ownership.How how = ((Ownership.Claim.MarkAs) claim).how();
    var started =
        ctx.ports
            .registries()
            .retagReplication(
                d.resourceGroup(),
                d.registryName(),
                replica.name(),
                Ownership.marked(tags, Ownership.mark(ctx, how)));
    if (how == Ownership.How.adopted) {
      HaltPoints.reached("adopted-marked");
    }
    return EnsurePairedReplica.report(
        ctx,
        new ReplicaStatus(
            replica.location(),
            replica.id(),
            replica.provisioningState(),
            replica.displayStatus(),
            replica.zoneRedundancy()),
        Fact.isFalse("Marking", "Marking the replica in " + d.replicaRegion() + " " + how + "."),
        new StepResult.Progressing(
            MARKING,
            "Marking the replica in "
                + d.replicaRegion()
                + " as "
                + how
                + " by this store (tag "
                + Ownership.TAG
                + ").",
            Backoff.poll(started.retryAfter())));
  }

  /**
   * An unmarked replica this store's status recorded while it was Ready: built before marks
   * existed. A store stalled on an unmarked replica does not record it, so it never qualifies.
   */
  private static boolean builtBeforeMarks(StoreContext ctx, Replica replica) {
    var ready = Conditions.find(ctx.previous.getConditions(), Conditions.REPLICA_READY);
    return ready != null
        && "True".equals(ready.getStatus())
        && Ownership.builtBeforeMarks(ctx, replica.id(), Ownership.recordedReplicas(ctx));
  }

  private static StepResult stop(StoreContext ctx, String reason, String message) {
    return EnsurePairedReplica.report(
        ctx, null, Fact.isFalse(reason, message), new StepResult.Stalled(reason, message));
  }
}
