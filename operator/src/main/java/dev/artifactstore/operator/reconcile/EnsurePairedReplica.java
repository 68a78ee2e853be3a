package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Started;
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
    if (pending == null && ctx.stillDone(Conditions.REPLICA_READY, LATER)) {
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

  /** Adds the replica; {@code checkSubnets} first makes sure each endpoint's subnet has room. */
  private StepResult create(StoreContext ctx, boolean checkSubnets) {
    DesiredStore d = ctx.desired;
    for (DesiredStore.Endpoint endpoint :
        checkSubnets ? d.endpoints() : List.<DesiredStore.Endpoint>of()) {
      var network = ctx.portsFor.apply(endpoint.subscription()).network();
      if (network.privateEndpoint(endpoint.resourceGroup(), endpoint.name()).isEmpty()) {
        continue;
      }
      Optional<Integer> free = network.freeAddresses(endpoint.subnetId());
      if (free.isPresent() && free.get() < 1) {
        ctx.replicaFact =
            Fact.isFalse(
                "SubnetFull",
                "Subnet "
                    + endpoint.subnetId()
                    + " has no free address for the replica's data endpoint.");
        return new StepResult.Stalled(
            "SubnetFull",
            "Subnet "
                + endpoint.subnetId()
                + " (private endpoint "
                + endpoint.name()
                + ") has no free IP address;"
                + " adding the replica in "
                + d.replicaRegion()
                + " needs one there, or Azure rolls the replica back."
                + " Free an address or enlarge the subnet; the replica was not requested.");
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

  private static String zones(DesiredStore d) {
    return d.replicaZoneRedundant() ? "Enabled" : "Disabled";
  }
}
