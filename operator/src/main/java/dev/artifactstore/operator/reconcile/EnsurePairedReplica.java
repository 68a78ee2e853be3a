package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Started;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Step 3 (GeoReplication): a replica in the primary's paired region, Succeeded and Ready. Before
 * adding it, every subnet that holds one of the store's endpoints must have a free address: Azure
 * takes one for the new region and rolls the replica back when it cannot.
 */
final class EnsurePairedReplica {
  static final String CREATING = "CreatingReplica";
  static final String WAITING = "WaitingForReplica";
  static final String RECREATING = "RecreatingReplica";
  static final String STUCK = "ReplicaStuckCreating";

  /** The annotation that asks for the replica to be deleted and created again. */
  static final String RECREATE_ANNOTATION = "artifactstore.dev/recreate-replica";

  private final Duration creatingTimeout;
  private final ReplicaPreflight preflight = new ReplicaPreflight();

  EnsurePairedReplica(Duration creatingTimeout) {
    this.creatingTimeout = creatingTimeout;
  }

  /** Where the chain stops, making progress, once the replica is done. */
  static final Set<String> LATER =
      ReconcileChain.with(
          ReconcileChain.BUDGET_WAITS,
          ReapplyPrivateEndpoints.CREATING,
          ReapplyPrivateEndpoints.REAPPLYING,
          ReapplyPrivateEndpoints.WAITING,
          ReapplyPrivateEndpoints.LINKING_ZONE,
          EnsureDnsRecords.WRITING);

  StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    ctx.replicasObserved = true;
    if (!d.geo()) {
      ctx.appliedStrategy =
          ctx.appliedStrategy == null ? ReplicationStrategy.SingleReplication : ctx.appliedStrategy;
      ctx.replicaFact =
          Fact.isTrue(
              "NotRequired", "SingleReplication keeps the registry in " + d.region() + " only.");
      return StepResult.done();
    }
    PendingOperation pending = ctx.pendingFor(CREATING);
    boolean recreate =
        "true"
            .equals(
                ctx.store().getMetadata().getAnnotations() == null
                    ? null
                    : ctx.store().getMetadata().getAnnotations().get(RECREATE_ANNOTATION));
    if (recreate) {
      // The replica is observed and deleted below, whatever its operation still says.
      pending = null;
      ctx.clearPending();
    }
    if (!recreate && pending == null && ctx.stillDone(Conditions.REPLICA_READY, LATER)) {
      // Built moments ago in this generation; the next resync observes it again.
      ctx.replicas.addAll(ctx.previous.getReplicas());
      ctx.appliedStrategy = ReplicationStrategy.GeoReplication;
      ctx.replicaReady = true;
      return StepResult.done();
    }
    if (ctx.primaryCreatedNow) {
      // A registry created a moment ago has no replica and no private endpoint yet.
      return create(ctx, false);
    }
    if (ctx.queuedWrite(d.registryId() + "/replications/" + d.replicaRegion())) {
      // The last run found it missing and the subnets roomy, and queued the write.
      return create(ctx, false);
    }
    if (pending != null) {
      OperationState op = ctx.ports.registries().poll(pending.getPollUrl());
      switch (op.status()) {
        case RUNNING -> {
          Duration creating = sinceOrZero(pending.getStartedAt(), ctx);
          if (creating.compareTo(creatingTimeout) > 0) {
            return stuck(ctx, creating);
          }
          ctx.replicas.add(
              new ReplicaStatus(
                  d.replicaRegion(),
                  pending.getResourceId(),
                  "Creating",
                  "Provisioning",
                  zones(d)));
          ctx.replicaFact =
              Fact.isFalse(
                  "Provisioning", "Azure is creating the replica in " + d.replicaRegion() + ".");
          return new StepResult.Progressing(
              WAITING,
              "Waiting for Azure to finish the replica of "
                  + d.registryName()
                  + " in "
                  + d.replicaRegion()
                  + ".",
              Backoff.poll(op.retryAfter()));
        }
        case FAILED -> {
          ctx.clearPending();
          if (op.code().equals("InsufficientSubnetSize")) {
            ctx.replicaFact = Fact.isFalse("RolledBack", op.message());
            return preflight.rolledBack(ctx, op.message());
          }
          if (op.message().toLowerCase(java.util.Locale.ROOT).contains("static ipconfiguration")) {
            ReplicaPreflight.Verdict verdict = preflight.check(ctx);
            ctx.replicaFact = Fact.isFalse("ProvisioningFailed", op.message());
            if (verdict.stall() != null) {
              return verdict.stall();
            }
            return new StepResult.Stalled(
                ReplicaPreflight.STATIC_IP,
                "Azure failed the replica in "
                    + d.replicaRegion()
                    + ": "
                    + op.message()
                    + " Recreate that endpoint with dynamic addresses (or delete it).");
          }
          String text =
              "Azure failed to create the replica in "
                  + d.replicaRegion()
                  + ": "
                  + (op.code().isEmpty() ? "" : op.code() + ": ")
                  + op.message();
          ctx.replicaFact = Fact.isFalse("ProvisioningFailed", text);
          return new StepResult.Failed(
              "ReplicaProvisioningFailed",
              text + " Retrying with backoff.",
              Backoff.retry(
                  Conditions.falseSince(ctx.previous, Conditions.REPLICA_READY), ctx.now()));
        }
        default -> ctx.clearPending();
      }
    }

    List<ReplicationInner> all =
        ctx.ports.registries().replications(d.resourceGroup(), d.registryName());
    Optional<ReplicationInner> replica =
        all.stream().filter(r -> d.replicaRegion().equals(r.location())).findFirst();
    if (recreate) {
      return recreate(ctx, replica);
    }
    if (replica.isEmpty()) {
      return create(ctx);
    }
    ReplicationInner r = replica.get();
    ctx.appliedStrategy = ReplicationStrategy.GeoReplication;
    String state = r.provisioningState() == null ? "Unknown" : r.provisioningState().toString();
    String display = r.status() == null ? null : r.status().displayStatus();
    ctx.replicas.add(
        new ReplicaStatus(
            r.location(),
            r.id(),
            state,
            display,
            r.zoneRedundancy() == null ? "Disabled" : r.zoneRedundancy().toString()));
    if (state.equals("Failed") || state.equals("Canceled")) {
      // Writing a failed replica again makes Azure retry it; the requeue delay was the backoff.
      return create(ctx);
    }
    if (state.equals("Creating")) {
      Duration creating =
          r.status() == null || r.status().timestamp() == null
              ? Duration.ZERO
              : Duration.between(r.status().timestamp().toInstant(), ctx.now());
      if (creating.compareTo(creatingTimeout) > 0) {
        return stuck(ctx, creating);
      }
    }
    if (!state.equals("Succeeded")) {
      ctx.replicaFact =
          Fact.isFalse(
              "Provisioning", "The replica in " + d.replicaRegion() + " is " + state + ".");
      return new StepResult.Progressing(
          WAITING,
          "Waiting for the replica in " + d.replicaRegion() + " to leave state " + state + ".",
          Backoff.DEFAULT_POLL);
    }
    if (!"Ready".equals(display)) {
      ctx.replicaFact =
          Fact.isFalse(
              "NotReady", "The replica in " + d.replicaRegion() + " reports " + display + ".");
      return new StepResult.Progressing(
          WAITING,
          "Waiting for the replica in "
              + d.replicaRegion()
              + " to report Ready (now "
              + display
              + ").",
          Backoff.DEFAULT_POLL);
    }
    ctx.replicaReady = true;
    ctx.replicaFact =
        Fact.isTrue("Ready", "The replica in " + d.replicaRegion() + " is Succeeded and Ready.");
    return StepResult.done();
  }

  private StepResult create(StoreContext ctx) {
    return create(ctx, true);
  }

  /**
   * Adds the replica; {@code check} first makes sure every endpoint of the registry can take an
   * address for the new region.
   */
  private StepResult create(StoreContext ctx, boolean check) {
    DesiredStore d = ctx.desired;
    if (check) {
      ReplicaPreflight.Verdict verdict = preflight.check(ctx);
      if (verdict.stall() != null) {
        ctx.replicaFact = Fact.isFalse(verdict.stall().reason(), verdict.stall().message());
        return verdict.stall();
      }
    }
    Started started;
    try {
      started =
          ctx.ports
              .registries()
              .createReplication(
                  d.resourceGroup(), d.registryName(), d.replicaRegion(), d.replicaZoneRedundant());
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.CONFLICT) {
        ctx.replicaFact = Fact.isFalse("Conflict", e.describe());
        return new StepResult.Progressing(
            WAITING,
            "Azure cannot add the replica yet (" + e.describe() + "); retrying.",
            Backoff.poll(
                e.retryAfter() == null ? java.time.Duration.ofSeconds(15) : e.retryAfter()));
      }
      throw e;
    }
    String id = d.registryId() + "/replications/" + d.replicaRegion();
    ctx.appliedStrategy = ReplicationStrategy.GeoReplication;
    ctx.started(CREATING, id, started);
    ctx.replicas.add(
        new ReplicaStatus(d.replicaRegion(), id, "Creating", "Provisioning", zones(d)));
    ctx.replicaFact =
        Fact.isFalse("Provisioning", "Adding the replica in " + d.replicaRegion() + ".");
    return new StepResult.Progressing(
        CREATING,
        "Adding a replica of "
            + d.registryName()
            + " in "
            + d.replicaRegion()
            + ", the pair of "
            + d.region()
            + ".",
        Backoff.poll(started.retryAfter()));
  }

  /**
   * Azure leaves a replica of a registry with private endpoints Creating for ever when the identity
   * lacks privateLinkServiceProxies/write; the documented fix is to grant it, then delete the
   * replica and create it again.
   */
  private StepResult stuck(StoreContext ctx, Duration creating) {
    DesiredStore d = ctx.desired;
    String text =
        "The replica in "
            + d.replicaRegion()
            + " has been Creating for "
            + creating.toMinutes()
            + " min (limit "
            + creatingTimeout.toMinutes()
            + " min). Azure leaves a replica of a registry with private endpoints in Creating when"
            + " the identity lacks Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write."
            + " Grant it, then annotate the store with "
            + RECREATE_ANNOTATION
            + "=true: the operator deletes the replica and creates it again.";
    ctx.replicas.add(
        new ReplicaStatus(
            d.replicaRegion(),
            d.registryId() + "/replications/" + d.replicaRegion(),
            "Creating",
            "Provisioning",
            zones(d)));
    ctx.appliedStrategy = ReplicationStrategy.GeoReplication;
    ctx.replicaFact = Fact.isFalse(STUCK, text);
    return new StepResult.Stalled(STUCK, text);
  }

  /** Deletes the replica, and once it is gone creates it again and lets the annotation go. */
  private StepResult recreate(StoreContext ctx, Optional<ReplicationInner> replica) {
    DesiredStore d = ctx.desired;
    ctx.appliedStrategy = ReplicationStrategy.GeoReplication;
    if (replica.isEmpty()) {
      StepResult created = create(ctx);
      if (created instanceof StepResult.Progressing p && p.reason().equals(CREATING)) {
        ctx.annotationsDone.add(RECREATE_ANNOTATION);
      }
      return created;
    }
    ReplicationInner r = replica.get();
    String state = r.provisioningState() == null ? "Unknown" : r.provisioningState().toString();
    ctx.replicas.add(
        new ReplicaStatus(
            r.location(),
            r.id(),
            state,
            r.status() == null ? null : r.status().displayStatus(),
            zones(d)));
    java.time.Duration after = Backoff.DEFAULT_POLL;
    if (!state.equals("Deleting")) {
      Started started =
          ctx.ports.registries().deleteReplication(d.resourceGroup(), d.registryName(), r.name());
      after = Backoff.poll(started.retryAfter());
    }
    ctx.replicaFact =
        Fact.isFalse(
            "Recreating", "Deleting the replica in " + d.replicaRegion() + " to create it again.");
    return new StepResult.Progressing(
        RECREATING,
        "Deleting the replica in "
            + d.replicaRegion()
            + " to create it again, as "
            + RECREATE_ANNOTATION
            + " asks; the annotation is removed once the new replica is requested.",
        after);
  }

  private static Duration sinceOrZero(String startedAt, StoreContext ctx) {
    try {
      return Duration.between(Instant.parse(startedAt), ctx.now());
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }

  private static String zones(DesiredStore d) {
    return d.replicaZoneRedundant() ? "Enabled" : "Disabled";
  }
}
