package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Registry;
import dev.artifactstore.operator.azure.Started;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Step: a Premium registry in the primary region, zone redundant where it can be, Succeeded. */
final class EnsurePrimaryRegistry implements Step.Resumable {
  static final String CREATING = "CreatingPrimary";
  static final String WAITING = "WaitingForPrimary";
  static final String UPGRADING = "UpgradingSku";

  /** The registries of each resource group, per identity; null: every run reads its registry. */
  private final Listings<Registry> listings;

  EnsurePrimaryRegistry(Listings<Registry> listings) {
    this.listings = listings;
  }

  EnsurePrimaryRegistry() {
    this(null);
  }

  @Override
  public String condition() {
    return Conditions.PRIMARY_READY;
  }

  @Override
  public Set<String> progressReasons() {
    return Set.of(CREATING, WAITING, UPGRADING, ClaimRegistry.MARKING);
  }

  @Override
  public boolean busy(StoreContext ctx) {
    return operation(ctx) != null;
  }

  @Override
  public void resume(StoreContext ctx) {
    ctx.found(
        new Findings.Primary(
            ctx.lastFact(Conditions.PRIMARY_READY), ctx.previous.getPrimary(), false));
  }

  @Override
  public StepResult run(StoreContext ctx) {
    return act(ctx, observe(ctx));
  }

  PrimaryObservation observe(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    PendingOperation pending = operation(ctx);
    if (pending != null) {
      // A registry this store is creating is watched in its resource group's listing, which
      // answers for every registry created before it began; the operation is polled only when
      // the listing does not show the registry Succeeded and in order.
      Listings.Settled<Registry> settled =
          pending.getStep().equals(CREATING) ? settle(ctx, pending) : null;
      if (settled != null && settled.listed() == null) {
        return new PrimaryObservation(
            PrimaryObservation.Kind.OPERATION_RUNNING,
            new OperationState(OperationState.Status.RUNNING, "", "", settled.after()),
            null);
      }
      Registry listed = settled == null ? null : settled.listed().get(d.registryName());
      if (listed != null && inOrder(ctx, listed)) {
        ctx.clearPending();
        return new PrimaryObservation(PrimaryObservation.Kind.CREATED, null, null);
      }
      OperationState op = ctx.poll(pending);
      if (op.status() == OperationState.Status.RUNNING) {
        return new PrimaryObservation(PrimaryObservation.Kind.OPERATION_RUNNING, op, null);
      }
      // Finished, expired or unknown: an expired operation says nothing, so the registry is read.
      ctx.clearPending();
      if (op.status() == OperationState.Status.FAILED) {
        return new PrimaryObservation(PrimaryObservation.Kind.OPERATION_FAILED, op, null);
      }
      if (op.status() == OperationState.Status.SUCCEEDED && pending.getStep().equals(CREATING)) {
        return new PrimaryObservation(PrimaryObservation.Kind.CREATED, op, null);
      }
    }
    if (ctx.useQueuedWrite(d.registryId())) {
      return new PrimaryObservation(PrimaryObservation.Kind.CREATE_QUEUED, null, null);
    }
    // A listing serves only to find all in order on a resync; a registry it does not show is read
    // before anything is created, since it may have been made since the listing.
    Listings.Listed<Registry> listing =
        pending == null && ctx.listingsServe() ? listing(ctx) : null;
    if (listing != null) {
      Registry listed = listing.get(d.registryName());
      if (listed != null && inOrder(ctx, listed)) {
        listings.watch(key(ctx), d.registryName(), ResourceID.fromResource(ctx.store()));
        return new PrimaryObservation(PrimaryObservation.Kind.FOUND, null, listed);
      }
    }
    // A store that never saw its registry most likely creates it: it reads when it may write.
    boolean creating = ctx.previous.getPrimary() == null;
    if (creating) {
      ctx.awaitWriteTurn(d.registryId());
    }
    try {
      Optional<Registry> found =
          ctx.ports.registries().registry(d.resourceGroup(), d.registryName());
      if (listings != null) {
        listings.update(key(ctx), d.registryName(), found.orElse(null));
      }
      if (creating && found.isPresent()) {
        ctx.releaseWriteTurn(d.registryId());
      }
      return found
          .map(r -> new PrimaryObservation(PrimaryObservation.Kind.FOUND, null, r))
          .orElse(new PrimaryObservation(PrimaryObservation.Kind.MISSING, null, null));
    } catch (AzureFailure e) {
      if (creating && e.kind() != AzureFailure.Kind.THROTTLED) {
        ctx.releaseWriteTurn(d.registryId());
      }
      if (e.kind() == AzureFailure.Kind.NOT_FOUND) {
        return new PrimaryObservation(PrimaryObservation.Kind.RESOURCE_GROUP_MISSING, null, null);
      }
      throw e;
    }
  }

  StepResult act(StoreContext ctx, PrimaryObservation seen) {
    DesiredStore d = ctx.desired;
    return switch (seen.kind()) {
      case OPERATION_RUNNING -> {
        String doing =
            ctx.pendingFor(UPGRADING) != null
                ? "upgrading"
                : ctx.pendingFor(ClaimRegistry.MARKING) != null ? "marking" : "creating";
        yield report(
            ctx,
            Fact.isFalse(
                "Provisioning",
                "Azure is " + doing + " registry " + d.registryName() + " in " + d.region() + "."),
            ctx.previous.getPrimary(),
            new StepResult.Progressing(
                WAITING,
                "Waiting for Azure to finish " + doing + " registry " + d.registryName() + ".",
                Backoff.poll(seen.operation().retryAfter())));
      }
      case OPERATION_FAILED ->
          report(
              ctx,
              ctx.previous.getPrimary(),
              RegistryProblems.provisioningFailed(
                  d,
                  seen.operation(),
                  Conditions.falseSince(ctx.previous, Conditions.PRIMARY_READY),
                  ctx.now()));
      case CREATED -> created(ctx);
      case CREATE_QUEUED, MISSING -> create(ctx, Ownership.created(ctx));
      case RESOURCE_GROUP_MISSING ->
          report(ctx, ctx.previous.getPrimary(), RegistryProblems.resourceGroupMissing(d));
      case FOUND -> examine(ctx, seen.registry());
    };
  }

  private StepResult examine(StoreContext ctx, Registry registry) {
    DesiredStore d = ctx.desired;
    String state = registry.provisioningState();
    RegistryStatus status =
        new RegistryStatus(registry.location(), registry.id(), state, registry.zoneRedundancy());
    StepResult claimed = ClaimRegistry.claim(ctx, registry, status);
    if (!(claimed instanceof StepResult.Done)) {
      return claimed;
    }
    if (!d.region().equals(registry.location())) {
      return report(ctx, status, RegistryProblems.wrongRegion(d, registry.location()));
    }
    if (state.equals("Failed") || state.equals("Canceled")) {
      // Writing a failed resource again makes Azure retry it; the requeue delay was the backoff.
      return create(ctx, registry.tags());
    }
    if (!state.equals("Succeeded")) {
      return report(
          ctx,
          Fact.isFalse("Provisioning", "Registry " + d.registryName() + " is " + state + "."),
          status,
          new StepResult.Progressing(
              WAITING,
              "Waiting for registry " + d.registryName() + " to leave state " + state + ".",
              Backoff.DEFAULT_POLL));
    }
    if (!registry.premium()) {
      Started started =
          ctx.ports
              .registries()
              .upgradeToPremium(d.resourceGroup(), d.registryName(), registry.tags());
      ctx.started(UPGRADING, registry.id(), started);
      return report(
          ctx,
          Fact.isFalse(
              "NotPremium",
              "Registry "
                  + d.registryName()
                  + " is "
                  + registry.sku()
                  + "; upgrading it to Premium, which geo-replication and private endpoints need."),
          status,
          new StepResult.Progressing(
              UPGRADING,
              "Upgrading registry " + d.registryName() + " to Premium.",
              Backoff.poll(started.retryAfter())));
    }
    return report(
        ctx,
        succeeded(registry.loginServer(), registry.location(), registry.zoneRedundancy()),
        status,
        StepResult.done());
  }

  /**
   * The operation that created the registry succeeded, so it is Succeeded with the properties it
   * was created with; reading it back would spend a read to learn nothing. It has no replica yet
   * only when this process started that operation and sees it end for the first time: else a
   * replica may have been added since, by a process that died before recording it.
   */
  private static StepResult created(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    String zones = zones(d);
    ctx.found(
        new Findings.Primary(
            succeeded(d.loginServer(), d.region(), zones),
            new RegistryStatus(d.region(), d.registryId(), "Succeeded", zones),
            ctx.endedHereFirst()));
    return StepResult.done();
  }

  private static Fact succeeded(String loginServer, String region, String zones) {
    return Fact.isTrue(
        "Succeeded",
        "Registry "
            + loginServer
            + " is Premium and Succeeded in "
            + region
            + " (zone redundancy "
            + zones
            + ").");
  }

  /** Writes the registry with {@code tags}: this store's mark, or what was read of an owned one. */
  private static StepResult create(StoreContext ctx, Map<String, String> tags) {
    DesiredStore d = ctx.desired;
    Started started;
    try {
      started =
          ctx.ports
              .registries()
              .createRegistry(
                  d.resourceGroup(), d.registryName(), d.region(), d.primaryZoneRedundant(), tags);
    } catch (AzureFailure e) {
      if (e.code().equals("AlreadyInUse") || e.code().equals("RegistryNameNotAvailable")) {
        return report(ctx, ctx.previous.getPrimary(), RegistryProblems.nameUnavailable(d, e));
      }
      if (e.kind() == AzureFailure.Kind.NOT_FOUND && e.code().equals("ResourceGroupNotFound")) {
        return report(ctx, ctx.previous.getPrimary(), RegistryProblems.resourceGroupMissing(d));
      }
      throw e;
    }
    ctx.started(CREATING, d.registryId(), started);
    return report(
        ctx,
        Fact.isFalse(
            "Provisioning",
            "Creating Premium registry " + d.registryName() + " in " + d.region() + "."),
        new RegistryStatus(d.region(), d.registryId(), "Creating", zones(d)),
        new StepResult.Progressing(
            CREATING,
            "Creating Premium registry "
                + d.registryName()
                + " in "
                + d.region()
                + (d.primaryZoneRedundant()
                    ? ", zone redundant."
                    : " (the region has no availability zones)."),
            Backoff.poll(started.retryAfter())));
  }

  private static StepResult report(StoreContext ctx, RegistryStatus registry, Fact.Stop stop) {
    return report(ctx, stop.fact(), registry, stop.result());
  }

  private static StepResult report(
      StoreContext ctx, Fact fact, RegistryStatus registry, StepResult result) {
    ctx.found(new Findings.Primary(fact, registry, false));
    return result;
  }

  /**
   * The registries of the store's resource group as its identity sees them, listed at most once per
   * listing age for every store there; null when there is no listing or it failed (the read that
   * follows tells why).
   */
  private Listings.Listed<Registry> listing(StoreContext ctx) {
    if (listings == null) {
      return null;
    }
    try {
      return listings.list(key(ctx), pages(ctx));
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.NOT_FOUND || e.kind() == AzureFailure.Kind.AUTHORIZATION) {
        // The read that follows says precisely what is missing or forbidden.
        return null;
      }
      throw e;
    }
  }

  /**
   * A listing of the resource group that began after the creation was sent, or how long until the
   * next may begin; null without listings, or when the resource group cannot be listed (the poll
   * that follows tells what happened).
   */
  private Listings.Settled<Registry> settle(StoreContext ctx, PendingOperation pending) {
    if (listings == null || pending.getStartedAt() == null) {
      return null;
    }
    try {
      return listings.after(
          key(ctx), Instant.parse(pending.getStartedAt()), Listings.SETTLE_EVERY, pages(ctx));
    } catch (DateTimeParseException e) {
      return null;
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.NOT_FOUND || e.kind() == AzureFailure.Kind.AUTHORIZATION) {
        return null;
      }
      throw e;
    }
  }

  private static Listings.Pages<Registry> pages(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    return next -> {
      var page = ctx.ports.registries().registriesPage(d.resourceGroup(), next);
      Map<String, Registry> byName = new LinkedHashMap<>();
      page.items().forEach(r -> byName.put(name(r), r));
      return new Listings.Page<>(byName, page.next());
    };
  }

  /**
   * A listed registry that needs nothing: Succeeded, Premium, where the spec says, marked this
   * store's. Anything else is read first, so that no write is decided from a listing.
   */
  private static boolean inOrder(StoreContext ctx, Registry registry) {
    return registry.provisioningState().equals("Succeeded")
        && registry.premium()
        && ctx.desired.region().equals(registry.location())
        && Ownership.of(ctx, registry.tags()) == Ownership.Verdict.OURS;
  }

  private static String key(StoreContext ctx) {
    return ctx.identity + "|" + ctx.desired.subscription() + "/" + ctx.desired.resourceGroup();
  }

  private static String name(Registry registry) {
    return registry.id().substring(registry.id().lastIndexOf('/') + 1);
  }

  /** A registry the operator deleted is gone from the listing at once. */
  void forget(StoreContext ctx) {
    if (listings != null) {
      listings.update(key(ctx), ctx.desired.registryName(), null);
      listings.unwatch(ResourceID.fromResource(ctx.store()));
    }
  }

  /** A listing that shows a registry changed wakes the store that found it in order. */
  void wakeWith(Consumer<ResourceID> wake) {
    if (listings != null) {
      listings.wakeWith(wake);
    }
  }

  private static PendingOperation operation(StoreContext ctx) {
    for (String step : List.of(CREATING, UPGRADING, ClaimRegistry.MARKING)) {
      if (ctx.pendingFor(step) != null) {
        return ctx.pendingFor(step);
      }
    }
    return null;
  }

  private static String zones(DesiredStore d) {
    return d.primaryZoneRedundant() ? "Enabled" : "Disabled";
  }
}
