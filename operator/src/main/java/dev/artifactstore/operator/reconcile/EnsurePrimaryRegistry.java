package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Started;
import java.util.Optional;
import java.util.Set;

/** Step 2: a Premium registry in the primary region, zone redundant where it can be, Succeeded. */
final class EnsurePrimaryRegistry {
  static final String CREATING = "CreatingPrimary";
  static final String WAITING = "WaitingForPrimary";
  static final String UPGRADING = "UpgradingSku";

  /** Where the chain stops, making progress, once the primary is done. */
  static final Set<String> LATER =
      ReconcileChain.with(
          EnsurePairedReplica.LATER, EnsurePairedReplica.CREATING, EnsurePairedReplica.WAITING);

  StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    PendingOperation pending =
        ctx.pendingFor(CREATING) != null ? ctx.pendingFor(CREATING) : ctx.pendingFor(UPGRADING);
    if (pending == null && ctx.stillDone(Conditions.PRIMARY_READY, LATER)) {
      // Built moments ago in this generation; the next resync observes it again.
      return StepResult.done();
    }
    if (pending != null) {
      OperationState op = ctx.ports.registries().poll(pending.getPollUrl());
      switch (op.status()) {
        case RUNNING -> {
          ctx.primaryFact =
              Fact.isFalse(
                  "Provisioning",
                  "Azure is creating registry " + d.registryName() + " in " + d.region() + ".");
          return new StepResult.Progressing(
              WAITING,
              "Waiting for Azure to finish creating registry " + d.registryName() + ".",
              Backoff.poll(op.retryAfter()));
        }
        case FAILED -> {
          ctx.clearPending();
          return failed(ctx, op.code(), op.message());
        }
        case SUCCEEDED -> {
          ctx.clearPending();
          if (pending.getStep().equals(CREATING)) {
            return created(ctx);
          }
        }
        // An expired or unknown operation says nothing about the registry: it is read below.
        default -> ctx.clearPending();
      }
    }

    if (ctx.queuedWrite(d.registryId())) {
      return create(ctx);
    }
    Optional<RegistryInner> found;
    try {
      found = ctx.ports.registries().registry(d.resourceGroup(), d.registryName());
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.NOT_FOUND) {
        return resourceGroupMissing(ctx);
      }
      throw e;
    }
    if (found.isEmpty()) {
      return create(ctx);
    }
    RegistryInner registry = found.get();
    String state =
        registry.provisioningState() == null ? "Unknown" : registry.provisioningState().toString();
    String zones =
        registry.zoneRedundancy() == null ? "Disabled" : registry.zoneRedundancy().toString();
    ctx.primary = new RegistryStatus(registry.location(), registry.id(), state, zones);
    if (!d.region().equals(registry.location())) {
      ctx.primaryFact =
          Fact.isFalse(
              "WrongRegion",
              "Registry "
                  + d.registryName()
                  + " exists in "
                  + registry.location()
                  + ", not "
                  + d.region()
                  + ".");
      return new StepResult.Stalled(
          "InvalidSpec",
          "Registry "
              + d.registryName()
              + " already exists in "
              + registry.location()
              + " but spec.location is "
              + d.region()
              + "; a registry cannot move. Set spec.location to "
              + registry.location()
              + " or use another registryName.");
    }
    switch (state) {
      case "Succeeded" -> {}
      case "Failed", "Canceled" -> {
        // Writing a failed resource again makes Azure retry it; the requeue delay was the backoff.
        return create(ctx);
      }
      default -> {
        ctx.primaryFact =
            Fact.isFalse("Provisioning", "Registry " + d.registryName() + " is " + state + ".");
        return new StepResult.Progressing(
            WAITING,
            "Waiting for registry " + d.registryName() + " to leave state " + state + ".",
            Backoff.DEFAULT_POLL);
      }
    }
    if (registry.sku() == null || registry.sku().name() != SkuName.PREMIUM) {
      Started started =
          ctx.ports.registries().upgradeToPremium(d.resourceGroup(), d.registryName());
      ctx.started(UPGRADING, registry.id(), started);
      ctx.primaryFact =
          Fact.isFalse(
              "NotPremium",
              "Registry "
                  + d.registryName()
                  + " is "
                  + registry.sku().name()
                  + "; upgrading it to Premium, which geo-replication and private endpoints need.");
      return new StepResult.Progressing(
          UPGRADING,
          "Upgrading registry " + d.registryName() + " to Premium.",
          Backoff.poll(started.retryAfter()));
    }
    ctx.primaryFact =
        Fact.isTrue(
            "Succeeded",
            "Registry "
                + registry.loginServer()
                + " is Premium and Succeeded in "
                + registry.location()
                + " (zone redundancy "
                + zones
                + ").");
    return StepResult.done();
  }

  /**
   * The operation that created the registry succeeded, so it is Succeeded with the properties it
   * was created with; reading it back would spend a read to learn nothing.
   */
  private static StepResult created(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    String zones = d.primaryZoneRedundant() ? "Enabled" : "Disabled";
    ctx.primary = new RegistryStatus(d.region(), d.registryId(), "Succeeded", zones);
    ctx.primaryCreatedNow = true;
    ctx.primaryFact =
        Fact.isTrue(
            "Succeeded",
            "Registry "
                + d.loginServer()
                + " is Premium and Succeeded in "
                + d.region()
                + " (zone redundancy "
                + zones
                + ").");
    return StepResult.done();
  }

  private StepResult create(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    Started started;
    try {
      started =
          ctx.ports
              .registries()
              .createRegistry(
                  d.resourceGroup(), d.registryName(), d.region(), d.primaryZoneRedundant());
    } catch (AzureFailure e) {
      if (e.code().equals("AlreadyInUse") || e.code().equals("RegistryNameNotAvailable")) {
        ctx.primaryFact = Fact.isFalse("NameUnavailable", e.getMessage());
        return new StepResult.Stalled(
            "NameUnavailable",
            "The registry name "
                + d.registryName()
                + " is taken by another Azure customer or subscription ("
                + e.describe()
                + "). Choose another spec.registryName.");
      }
      if (e.kind() == AzureFailure.Kind.NOT_FOUND && e.code().equals("ResourceGroupNotFound")) {
        return resourceGroupMissing(ctx);
      }
      throw e;
    }
    ctx.started(CREATING, d.registryId(), started);
    ctx.primary =
        new RegistryStatus(
            d.region(),
            d.registryId(),
            "Creating",
            d.primaryZoneRedundant() ? "Enabled" : "Disabled");
    ctx.primaryFact =
        Fact.isFalse(
            "Provisioning",
            "Creating Premium registry " + d.registryName() + " in " + d.region() + ".");
    return new StepResult.Progressing(
        CREATING,
        "Creating Premium registry "
            + d.registryName()
            + " in "
            + d.region()
            + (d.primaryZoneRedundant()
                ? ", zone redundant."
                : " (the region has no availability zones)."),
        Backoff.poll(started.retryAfter()));
  }

  private static StepResult resourceGroupMissing(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    ctx.primaryFact =
        Fact.isFalse(
            "ResourceGroupNotFound", "Resource group " + d.resourceGroup() + " does not exist.");
    return new StepResult.Stalled(
        "ResourceGroupNotFound",
        "Resource group "
            + d.resourceGroup()
            + " does not exist in subscription "
            + d.subscription()
            + "; the operator does not create resource groups. Create it or fix spec.resourceGroup.");
  }

  private static StepResult failed(StoreContext ctx, String code, String message) {
    DesiredStore d = ctx.desired;
    String text =
        "Azure failed to provision registry "
            + d.registryName()
            + ": "
            + (code.isEmpty() ? "" : code + ": ")
            + message;
    ctx.primaryFact = Fact.isFalse("ProvisioningFailed", text);
    return new StepResult.Failed(
        "ProvisioningFailed",
        text + " Retrying with backoff.",
        Backoff.retry(Conditions.falseSince(ctx.previous, Conditions.PRIMARY_READY), ctx.now()));
  }
}
