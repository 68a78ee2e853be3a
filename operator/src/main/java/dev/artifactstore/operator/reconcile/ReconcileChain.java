package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.WriteTurns;
import dev.artifactstore.operator.regions.RegionTable;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runbook as code: one list of steps, run in order until one says why the chain stops here. The
 * chain alone decides where a run picks up: a step an earlier run of this generation found done is
 * taken from the status instead of observed again, while the store is being built (see {@link
 * #pickUpAfter}).
 */
public final class ReconcileChain {
  /**
   * Credential Secrets as the operator watches them: only Secrets labelled {@value
   * CredentialSecrets#LABEL}{@code =true}, so no reconcile reads a Secret from the API server.
   */
  public interface CredentialSecrets {
    String LABEL = "artifactstore.dev/credentials";

    /**
     * The decoded data of the labelled Secret (namespace, name), its resourceVersion under {@code
     * __resourceVersion}; null when the watch has no such Secret.
     */
    Map<String, String> labelled(String namespace, String name);

    /**
     * Whether a Secret of that name exists at all, labelled or not: one read, asked only when a
     * store names a Secret the watch does not have, to say what is wrong.
     */
    default boolean exists(String namespace, String name) {
      return false;
    }
  }

  /** What one run found and decided. */
  public record Run(StoreContext context, StepResult result, Outcome outcome) {}

  private final Clock clock;
  private final String clusterId;
  private final FailureOutcomes failures;
  private final ValidateSpec validate;
  private final List<Step> admission;
  private final ResolveCredentials credentials;
  private final List<Step> runbook;
  private final ResumePoints resumes = new ResumePoints();
  private final EnsurePrimaryRegistry primary;
  private final ReapplyPrivateEndpoints endpoints;
  private final ZoneSnapshots zones;
  private final WriteTurns turns;
  private final Shortcuts shortcuts = new Shortcuts();

  /**
   * @param tenancy what the cluster admin allows each namespace's stores
   * @param zoneListingMaxAge how old a shared listing (of a resource group's registries or
   *     endpoints, of a DNS zone's records) may be when a store checks its resources against it: a
   *     change made by hand is found at most this much later
   * @param replicaCreatingTimeout how long a replica may stay Creating before the store is Stalled
   * @param clusterId this cluster's name in the marks on what the operator creates
   */
  public ReconcileChain(
      AzureClients clients,
      RegionTable regions,
      SubscriptionGate gate,
      Clock clock,
      CredentialSecrets secrets,
      Tenancy tenancy,
      Duration zoneListingMaxAge,
      Duration replicaCreatingTimeout,
      String clusterId) {
    this.clock = clock;
    this.clusterId = clusterId;
    this.turns = clients.writeTurns();
    this.primary = new EnsurePrimaryRegistry(new Listings<>(clock, zoneListingMaxAge));
    this.zones = new ZoneSnapshots(clock, zoneListingMaxAge);
    this.endpoints = new ReapplyPrivateEndpoints(new Listings<>(clock, zoneListingMaxAge), zones);
    this.failures = new FailureOutcomes(gate);
    this.validate = new ValidateSpec(regions);
    this.credentials = new ResolveCredentials(clients, secrets, tenancy);
    // What runs before any Azure request, deletion included.
    this.admission = List.of(validate, new CheckScopes(tenancy), new HonourPause(), credentials);
    this.runbook =
        List.of(
            validate,
            admission.get(1),
            admission.get(2),
            credentials,
            new AwaitArmBudget(gate),
            primary,
            new EnsurePairedReplica(replicaCreatingTimeout),
            endpoints,
            new EnsureDnsRecords(zones));
  }

  public Run run(ArtifactStore store) {
    StoreContext ctx = new StoreContext(store, clock, clusterId);
    ctx.turns = turns;
    ctx.shortcuts = shortcuts;
    Instant since = clock.instant();
    ResumePoints.Resume resume = resumes.take(ctx, since);
    StepResult result = StepResult.done();
    Set<Step> done = new HashSet<>();
    for (Step step : runbook) {
      if (pickUpAfter(ctx, step, resume)) {
        ((Step.Resumable) step).resume(ctx);
      } else {
        try {
          result = step.run(ctx);
        } catch (AzureFailure failure) {
          result = cutShort(ctx, step, failure, done, resume == null ? since : resume.since());
        }
      }
      if (!(result instanceof StepResult.Done)) {
        break;
      }
      done.add(step);
    }
    String ready = result instanceof StepResult.Done ? Outcome.readyMessage(ctx.desired) : "";
    return new Run(ctx, result, Outcome.of(result, ready));
  }

  /**
   * Validates the spec, checks its scopes and pause, and resolves the credentials without running
   * any Azure step: what deletion needs to know which resources are the store's and whether it may
   * touch them. Null desired state or ports mean it may not go on.
   */
  /**
   * The store's Azure resources are deleted or released: shared listings taken before forget them,
   * so a store made again under the same names reads them rather than trusting the listing.
   */
  void forget(StoreContext ctx) {
    primary.forget(ctx);
    endpoints.forget(ctx);
    zones.unwatch(ResourceID.fromResource(ctx.store()));
  }

  /**
   * How a shared listing that shows a resource changed or gone reconciles the store that last found
   * it in order, at once: drift any store's listing sees is repaired then, not at the owner's next
   * resync.
   */
  public void wakeWith(Consumer<ResourceID> wake) {
    primary.wakeWith(wake);
    endpoints.wakeWith(wake);
    zones.wakeWith(wake);
  }

  Run prepare(ArtifactStore store) {
    StoreContext ctx = new StoreContext(store, clock, clusterId);
    StepResult result = StepResult.done();
    for (Step step : admission) {
      result = step.run(ctx);
      if (!(result instanceof StepResult.Done)) {
        break;
      }
    }
    return new Run(ctx, result, Outcome.of(result, ""));
  }

  /**
   * Whether the run takes {@code step} as the last run found it: the step has nothing under way,
   * and either a run the budget cut short a moment ago saw it done, or the last run of this
   * generation found it done and then stopped, making progress, at a later step or for the budget.
   * A failure, a new generation or Ready (whose resync observes everything) ends the trust.
   */
  private boolean pickUpAfter(StoreContext ctx, Step step, ResumePoints.Resume resume) {
    if (!(step instanceof Step.Resumable resumable) || resumable.busy(ctx)) {
      return false;
    }
    if (resume != null && resume.done().contains(step)) {
      return true;
    }
    String reason = ctx.lastProgressReason();
    if (reason == null || !ctx.lastFoundTrue(resumable.condition())) {
      return false;
    }
    if (AwaitArmBudget.BUDGET_WAITS.contains(reason)) {
      return true;
    }
    List<Step> later = runbook.subList(runbook.indexOf(step) + 1, runbook.size());
    return later.stream().anyMatch(s -> s.progressReasons().contains(reason));
  }

  private StepResult cutShort(
      StoreContext ctx, Step step, AzureFailure failure, Set<Step> done, Instant since) {
    if (failure.kind() == AzureFailure.Kind.THROTTLED) {
      if (step instanceof EnsureDnsRecords) {
        // The endpoints' statuses carry the records the DNS step was still observing.
        ctx.forgetEndpoints();
      }
      if (ArmBudget.QUEUED.equals(failure.code())) {
        resumes.remember(ctx, done, since);
      }
    }
    return failures.of(ctx, failure);
  }
}
