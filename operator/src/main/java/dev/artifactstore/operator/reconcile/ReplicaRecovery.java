package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Replica;
import dev.artifactstore.operator.azure.Started;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A replica that does not come up by itself: its operation runs too long or fails, or a user asks
 * for it to be deleted and created again.
 */
final class ReplicaRecovery {
  private final Duration creatingTimeout;
  private final EnsurePairedReplica step;

  ReplicaRecovery(Duration creatingTimeout, EnsurePairedReplica step) {
    this.creatingTimeout = creatingTimeout;
    this.step = step;
  }

  static boolean asked(StoreContext ctx) {
    Map<String, String> annotations = ctx.store.getMetadata().getAnnotations();
    return annotations != null
        && "true".equals(annotations.get(EnsurePairedReplica.RECREATE_ANNOTATION));
  }

  boolean tooLong(Duration creating) {
    return creating.compareTo(creatingTimeout) > 0;
  }

  StepResult running(StoreContext ctx, PendingOperation pending, OperationState op) {
    DesiredStore d = ctx.desired;
    Duration creating = sinceOrZero(pending.getStartedAt(), ctx.now());
    if (tooLong(creating)) {
      return stuck(ctx, creating);
    }
    ReplicaStatus status = EnsurePairedReplica.creating(d);
    status.setResourceId(pending.getResourceId());
    return EnsurePairedReplica.report(
        ctx,
        status,
        Fact.isFalse("Provisioning", "Azure is creating the replica in " + d.replicaRegion() + "."),
        new StepResult.Progressing(
            EnsurePairedReplica.WAITING,
            "Waiting for Azure to finish the replica of "
                + d.registryName()
                + " in "
                + d.replicaRegion()
                + ".",
            Backoff.poll(op.retryAfter())));
  }

  StepResult failed(StoreContext ctx, OperationState op) {
    DesiredStore d = ctx.desired;
    if (op.code().equals("InsufficientSubnetSize")) {
      return EnsurePairedReplica.report(
          ctx,
          null,
          Fact.isFalse("RolledBack", op.message()),
          ReplicaPreflight.rolledBack(ctx, op.message()));
    }
    if (op.message().toLowerCase(Locale.ROOT).contains("static ipconfiguration")) {
      ReplicaPreflight.Verdict verdict = ReplicaPreflight.check(ctx);
      return EnsurePairedReplica.report(
          ctx,
          null,
          Fact.isFalse("ProvisioningFailed", op.message()),
          verdict.stall() != null
              ? verdict.stall()
              : new StepResult.Stalled(
                  ReplicaPreflight.STATIC_IP,
                  "Azure failed the replica in "
                      + d.replicaRegion()
                      + ": "
                      + op.message()
                      + " Recreate that endpoint with dynamic addresses (or delete it)."));
    }
    String text =
        "Azure failed to create the replica in "
            + d.replicaRegion()
            + ": "
            + (op.code().isEmpty() ? "" : op.code() + ": ")
            + op.message();
    return EnsurePairedReplica.report(
        ctx,
        null,
        Fact.isFalse("ProvisioningFailed", text),
        new StepResult.Failed(
            "ReplicaProvisioningFailed",
            text + " Retrying with backoff.",
            Backoff.retry(
                Conditions.falseSince(ctx.previous, Conditions.REPLICA_READY), ctx.now())));
  }

  /**
   * Azure leaves a replica of a registry with private endpoints Creating for ever when the identity
   * lacks privateLinkServiceProxies/write; the documented fix is to grant it, then delete the
   * replica and create it again.
   */
  StepResult stuck(StoreContext ctx, Duration creating) {
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
            + EnsurePairedReplica.RECREATE_ANNOTATION
            + "=true: the operator deletes the replica and creates it again.";
    return EnsurePairedReplica.report(
        ctx,
        EnsurePairedReplica.creating(d),
        Fact.isFalse(EnsurePairedReplica.STUCK, text),
        new StepResult.Stalled(EnsurePairedReplica.STUCK, text));
  }

  /** Deletes the replica, and once it is gone creates it again and lets the annotation go. */
  StepResult recreate(StoreContext ctx, Replica replica) {
    DesiredStore d = ctx.desired;
    if (replica == null) {
      StepResult created = step.create(ctx, true, null);
      if (created instanceof StepResult.Progressing p
          && p.reason().equals(EnsurePairedReplica.CREATING)) {
        ctx.annotationsDone.add(EnsurePairedReplica.RECREATE_ANNOTATION);
      }
      return created;
    }
    String state = replica.provisioningState();
    Duration after = Backoff.DEFAULT_POLL;
    if (!state.equals("Deleting")) {
      Started started =
          ctx.ports
              .registries()
              .deleteReplication(d.resourceGroup(), d.registryName(), replica.name());
      after = Backoff.poll(started.retryAfter());
    }
    return EnsurePairedReplica.report(
        ctx,
        new ReplicaStatus(
            replica.location(),
            replica.id(),
            state,
            replica.displayStatus(),
            d.replicaZoneRedundant() ? "Enabled" : "Disabled"),
        Fact.isFalse(
            "Recreating", "Deleting the replica in " + d.replicaRegion() + " to create it again."),
        new StepResult.Progressing(
            EnsurePairedReplica.RECREATING,
            "Deleting the replica in "
                + d.replicaRegion()
                + " to create it again, as "
                + EnsurePairedReplica.RECREATE_ANNOTATION
                + " asks; the annotation is removed once the new replica is requested.",
            after));
  }

  private static Duration sinceOrZero(String startedAt, Instant now) {
    try {
      return Duration.between(Instant.parse(startedAt), now);
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }
}
