package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Replica;
import dev.artifactstore.operator.azure.Started;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Step (GeoReplication): a replica in the primary's paired region, Succeeded and Ready. Before
 * adding it, every subnet that holds one of the registry's endpoints must have a free address:
 * Azure takes one for the new region and rolls the replica back when it cannot.
 */
final class EnsurePairedReplica implements Step.Resumable {
  static final String CREATING = "CreatingReplica";
  static final String WAITING = "WaitingForReplica";
  static final String RECREATING = "RecreatingReplica";
  static final String STUCK = "ReplicaStuckCreating";

  /** The annotation that asks for the replica to be deleted and created again. */
  static final String RECREATE_ANNOTATION = "artifactstore.dev/recreate-replica";

  private final ReplicaRecovery recovery;

  EnsurePairedReplica(Duration creatingTimeout) {
    this.recovery = new ReplicaRecovery(creatingTimeout, this);
  }

  @Override
  public String condition() {
    return Conditions.REPLICA_READY;
  }

  @Override
  public Set<String> progressReasons() {
    return Set.of(CREATING, WAITING, ClaimReplica.MARKING);
  }

  @Override
  public boolean busy(StoreContext ctx) {
    return ctx.pendingFor(CREATING) != null || ReplicaRecovery.asked(ctx);
  }

  @Override
  public void resume(StoreContext ctx) {
    if (!ctx.desired.geo()) {
      run(ctx);
      return;
    }
    ctx.found(
        new Findings.Replicas(
            ctx.lastFact(Conditions.REPLICA_READY),
            ReplicationStrategy.GeoReplication,
            ctx.previous.getReplicas(),
            true));
  }

  @Override
  public StepResult run(StoreContext ctx) {
    return act(ctx, observe(ctx));
  }

  ReplicaObservation observe(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    if (!d.geo()) {
      return new ReplicaObservation(ReplicaObservation.Kind.NOT_REQUIRED, null, null, null);
    }
    boolean recreate = ReplicaRecovery.asked(ctx);
    PendingOperation pending = recreate ? null : ctx.pendingFor(CREATING);
    if (recreate) {
      // The replica is observed and deleted, whatever its operation still says.
      ctx.clearPending();
    } else if (ctx.findings().primary().createdNow() || ctx.useQueuedWrite(d.replicaId())) {
      // A registry this process created a moment ago has no replica; a creation this process
      // queued found it missing. Either only once (see Shortcuts).
      return new ReplicaObservation(ReplicaObservation.Kind.CREATE_NOW, null, null, null);
    }
    if (pending != null) {
      // The replica as listed shows where its creation stands, displayStatus included: one read,
      // where a poll of the operation would need the listing after it. The operation is asked only
      // when the replica is neither Creating nor Succeeded, for why it failed or went.
      Optional<Replica> listed = replica(ctx);
      String state = listed.map(Replica::provisioningState).orElse("");
      if (state.equals("Creating") || state.equals("Updating")) {
        return new ReplicaObservation(
            ReplicaObservation.Kind.OPERATION_RUNNING,
            pending,
            new OperationState(OperationState.Status.RUNNING, "", "", null),
            null);
      }
      if (!state.equals("Succeeded")) {
        OperationState op = ctx.poll(pending);
        if (op.status() == OperationState.Status.RUNNING) {
          return new ReplicaObservation(
              ReplicaObservation.Kind.OPERATION_RUNNING, pending, op, null);
        }
        if (op.status() == OperationState.Status.FAILED) {
          ctx.clearPending();
          return new ReplicaObservation(
              ReplicaObservation.Kind.OPERATION_FAILED, pending, op, null);
        }
      }
      ctx.clearPending();
      return new ReplicaObservation(
          ReplicaObservation.Kind.LISTED, null, null, listed.orElse(null));
    }
    // A store that never saw its replica most likely adds it: it reads when it may write.
    boolean creating =
        !recreate && (ctx.previous.getReplicas() == null || ctx.previous.getReplicas().isEmpty());
    if (creating) {
      ctx.awaitWriteTurn(d.replicaId());
    }
    Optional<Replica> replica;
    try {
      replica = replica(ctx);
    } catch (AzureFailure e) {
      if (creating && e.kind() != AzureFailure.Kind.THROTTLED) {
        ctx.releaseWriteTurn(d.replicaId());
      }
      throw e;
    }
    if (creating && replica.isPresent()) {
      ctx.releaseWriteTurn(d.replicaId());
    }
    return new ReplicaObservation(ReplicaObservation.Kind.LISTED, null, null, replica.orElse(null));
  }

  /** The replica in the paired region, from the registry's replications. */
  private static Optional<Replica> replica(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    return ctx.ports.registries().replications(d.resourceGroup(), d.registryName()).stream()
        .filter(r -> d.replicaRegion().equals(r.location()))
        .findFirst();
  }

  StepResult act(StoreContext ctx, ReplicaObservation seen) {
    DesiredStore d = ctx.desired;
    return switch (seen.kind()) {
      case NOT_REQUIRED -> {
        ReplicationStrategy applied = ctx.previous.getReplicationStrategy();
        ctx.found(
            new Findings.Replicas(
                Fact.isTrue(
                    "NotRequired",
                    "SingleReplication keeps the registry in " + d.region() + " only."),
                applied == null ? ReplicationStrategy.SingleReplication : applied,
                List.of(),
                false));
        yield StepResult.done();
      }
      case CREATE_NOW -> create(ctx, false, null);
      case OPERATION_RUNNING -> recovery.running(ctx, seen.pending(), seen.operation());
      case OPERATION_FAILED -> recovery.failed(ctx, seen.operation());
      case LISTED -> {
        if (seen.replica() != null) {
          // Written or deleted below only when it is this store's.
          StepResult claimed = ClaimReplica.claim(ctx, seen.replica());
          if (!(claimed instanceof StepResult.Done)) {
            yield claimed;
          }
        }
        yield ReplicaRecovery.asked(ctx)
            ? recovery.recreate(ctx, seen.replica())
            : examine(ctx, seen.replica());
      }
    };
  }

  private StepResult examine(StoreContext ctx, Replica r) {
    DesiredStore d = ctx.desired;
    if (r == null) {
      return create(ctx, true, null);
    }
    String state = r.provisioningState();
    String display = r.displayStatus();
    ReplicaStatus status = statusOf(r);
    if (state.equals("Failed") || state.equals("Canceled")) {
      // Writing a failed replica again makes Azure retry it; the requeue delay was the backoff.
      return create(ctx, true, r);
    }
    if (state.equals("Creating") && r.statusSince() != null) {
      Duration creating = Duration.between(r.statusSince(), ctx.now());
      if (recovery.tooLong(creating)) {
        return recovery.stuck(ctx, creating);
      }
    }
    if (!state.equals("Succeeded")) {
      return report(
          ctx,
          status,
          Fact.isFalse(
              "Provisioning", "The replica in " + d.replicaRegion() + " is " + state + "."),
          new StepResult.Progressing(
              WAITING,
              "Waiting for the replica in " + d.replicaRegion() + " to leave state " + state + ".",
              Backoff.DEFAULT_POLL));
    }
    if (!"Ready".equals(display)) {
      return report(
          ctx,
          status,
          Fact.isFalse(
              "NotReady", "The replica in " + d.replicaRegion() + " reports " + display + "."),
          new StepResult.Progressing(
              WAITING,
              "Waiting for the replica in "
                  + d.replicaRegion()
                  + " to report Ready (now "
                  + display
                  + ").",
              Backoff.DEFAULT_POLL));
    }
    ctx.found(
        new Findings.Replicas(
            Fact.isTrue(
                "Ready", "The replica in " + d.replicaRegion() + " is Succeeded and Ready."),
            ReplicationStrategy.GeoReplication,
            List.of(status),
            true));
    return StepResult.done();
  }

  /**
   * Adds the replica; {@code check} first makes sure every endpoint of the registry can take an
   * address for the new region. {@code existing} is the replica as found (a failed one, written
   * again with what was read), or null for a new one, marked as this store's.
   */
  StepResult create(StoreContext ctx, boolean check, Replica existing) {
    DesiredStore d = ctx.desired;
    ReplicaStatus found = existing == null ? null : statusOf(existing);
    if (check) {
      ReplicaPreflight.Verdict verdict = ReplicaPreflight.check(ctx);
      if (verdict.stall() != null) {
        ctx.releaseWriteTurn(d.replicaId());
        StepResult.Stalled stall = verdict.stall();
        return report(ctx, found, Fact.isFalse(stall.reason(), stall.message()), stall);
      }
    }
    Started started;
    try {
      started =
          ctx.ports
              .registries()
              .createReplication(
                  d.resourceGroup(),
                  d.registryName(),
                  d.replicaRegion(),
                  d.replicaZoneRedundant(),
                  existing == null ? Ownership.created(ctx) : existing.tags());
    } catch (AzureFailure e) {
      if (e.kind() != AzureFailure.Kind.CONFLICT) {
        throw e;
      }
      return report(
          ctx,
          found,
          Fact.isFalse("Conflict", e.describe()),
          new StepResult.Progressing(
              WAITING,
              "Azure cannot add the replica yet (" + e.describe() + "); retrying.",
              Backoff.poll(e.retryAfter() == null ? Duration.ofSeconds(15) : e.retryAfter())));
    }
    ctx.started(CREATING, d.replicaId(), started);
    return report(
        ctx,
        creating(d),
        Fact.isFalse("Provisioning", "Adding the replica in " + d.replicaRegion() + "."),
        new StepResult.Progressing(
            CREATING,
            "Adding a replica of "
                + d.registryName()
                + " in "
                + d.replicaRegion()
                + ", the pair of "
                + d.region()
                + ".",
            Backoff.poll(started.retryAfter())));
  }

  /** Records the replica found (or null) and why the chain stops; Geo once a replica exists. */
  static StepResult report(StoreContext ctx, ReplicaStatus status, Fact fact, StepResult result) {
    ReplicationStrategy applied =
        status == null ? ctx.previous.getReplicationStrategy() : ReplicationStrategy.GeoReplication;
    ctx.found(
        new Findings.Replicas(fact, applied, status == null ? List.of() : List.of(status), false));
    return result;
  }

  private static ReplicaStatus statusOf(Replica r) {
    return new ReplicaStatus(
        r.location(), r.id(), r.provisioningState(), r.displayStatus(), r.zoneRedundancy());
  }

  /** The replica as it is while Azure adds it. */
  static ReplicaStatus creating(DesiredStore d) {
    return new ReplicaStatus(
        d.replicaRegion(),
        d.replicaId(),
        "Creating",
        "Provisioning",
        d.replicaZoneRedundant() ? "Enabled" : "Disabled");
  }
}
