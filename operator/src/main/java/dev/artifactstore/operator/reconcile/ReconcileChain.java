package dev.artifactstore.operator.reconcile;

import com.azure.core.credential.TokenCredential;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.regions.RegionTable;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The runbook as code: validate, primary registry, paired replica, private endpoints, DNS records.
 * Each step observes Azure, writes only what differs, and either lets the next step run or says why
 * the chain stops here and when to come back. Azure failures are turned into outcomes here, once,
 * for every step.
 */
public final class ReconcileChain {
  static final String WAITING_FOR_BUDGET = "WaitingForArmBudget";

  /** Held back by the operator's own budget until the store's ticket falls due: routine. */
  static final String QUEUED_FOR_BUDGET = "QueuedForArmBudget";

  /** Either wait for ARM budget. */
  static final java.util.Set<String> BUDGET_WAITS =
      java.util.Set.of(WAITING_FOR_BUDGET, QUEUED_FOR_BUDGET);

  /** {@code reasons} and {@code more}: where the chain may stop once a step is done. */
  static java.util.Set<String> with(java.util.Set<String> reasons, String... more) {
    java.util.Set<String> all = new java.util.HashSet<>(reasons);
    all.addAll(java.util.List.of(more));
    return java.util.Set.copyOf(all);
  }

  /** Reads a Secret's decoded data (namespace, name); null when it does not exist. */
  public interface SecretReader extends BiFunction<String, String, Map<String, String>> {}

  /** What one run found and decided. */
  public record Run(StoreContext context, StepResult result, Outcome outcome) {}

  private final AzureClients clients;
  private final RegionTable regions;
  private final SubscriptionGate gate;
  private final Clock clock;
  private final SecretReader secrets;
  private final ValidateSpec validate;
  private final EnsurePrimaryRegistry primary = new EnsurePrimaryRegistry();
  private final EnsurePairedReplica replica;
  private final ReapplyPrivateEndpoints endpoints = new ReapplyPrivateEndpoints();
  private final EnsureDnsRecords dns;

  /**
   * Where a run the ARM budget cut short picks up on its return: the conditions its steps had
   * observed as they should be, for its generation, and since when. A resync held back at its
   * second or third read does not read the first again when it comes back, so stores waiting for
   * the read budget do not add to what they wait for. Trusted for two minutes from the first read.
   */
  private record Resume(long generation, java.util.Set<String> observed, java.time.Instant since) {}

  private final Map<ResourceID, Resume> resumes = new java.util.concurrent.ConcurrentHashMap<>();

  /** The conditions of the first steps, in order, that a resumed run takes as observed. */
  private static final List<String> RESUMABLE =
      List.of(Conditions.PRIMARY_READY, Conditions.REPLICA_READY);

  private static final Duration RESUME_WITHIN = Duration.ofMinutes(2);

  public ReconcileChain(
      AzureClients clients,
      RegionTable regions,
      SubscriptionGate gate,
      Clock clock,
      SecretReader secrets) {
    this(clients, regions, gate, clock, secrets, Duration.ofSeconds(30));
  }

  /**
   * @param zoneListingMaxAge how old a shared listing of a DNS zone may be when a store checks its
   *     records against it (a record deleted by hand is found at most this much later)
   */
  public ReconcileChain(
      AzureClients clients,
      RegionTable regions,
      SubscriptionGate gate,
      Clock clock,
      SecretReader secrets,
      Duration zoneListingMaxAge) {
    this(
        clients,
        regions,
        gate,
        clock,
        secrets,
        zoneListingMaxAge,
        ReconcileSettings.REPLICA_CREATING_TIMEOUT);
  }

  /**
   * @param replicaCreatingTimeout how long a replica may stay Creating before the store is Stalled
   */
  public ReconcileChain(
      AzureClients clients,
      RegionTable regions,
      SubscriptionGate gate,
      Clock clock,
      SecretReader secrets,
      Duration zoneListingMaxAge,
      Duration replicaCreatingTimeout) {
    this.replica = new EnsurePairedReplica(replicaCreatingTimeout);
    this.dns = new EnsureDnsRecords(new ZoneSnapshots(clock, zoneListingMaxAge));
    this.clients = clients;
    this.regions = regions;
    this.gate = gate;
    this.clock = clock;
    this.secrets = secrets;
    this.validate = new ValidateSpec(regions);
  }

  /**
   * Validates the spec and connects to Azure without running any step: what deletion needs to know
   * which resources are the store's. Null desired state or ports mean the spec is unusable.
   */
  StoreContext prepare(ArtifactStore store) {
    StoreContext ctx = new StoreContext(store, clock);
    if (validate.run(ctx) instanceof StepResult.Done) {
      connect(ctx, store);
    }
    return ctx;
  }

  public Run run(ArtifactStore store) {
    StoreContext ctx = new StoreContext(store, clock);
    java.time.Instant started = clock.instant();
    Resume resume = resumes.remove(ResourceID.fromResource(store));
    if (resume != null
        && resume.generation() == ctx.generation()
        && started.isBefore(resume.since().plus(RESUME_WITHIN))) {
      ctx.observedMomentsAgo = resume.observed();
      started = resume.since();
    }
    StepResult result = validate.run(ctx);
    if (result instanceof StepResult.Done) {
      result = connect(ctx, store);
    }
    if (result instanceof StepResult.Done) {
      Duration paused = gate.remaining(ctx.desired.subscription());
      if (!paused.isZero()) {
        result =
            new StepResult.Progressing(
                WAITING_FOR_BUDGET,
                "ARM throttled subscription "
                    + ctx.desired.subscription()
                    + "; every store of it waits "
                    + seconds(paused)
                    + " s before calling Azure again.",
                paused);
      }
    }
    if (result instanceof StepResult.Done) {
      result = azureSteps(ctx, started);
    }
    String ready = result instanceof StepResult.Done ? readyMessage(ctx) : "";
    return new Run(ctx, result, Outcome.of(result, ready));
  }

  private StepResult azureSteps(StoreContext ctx, java.time.Instant started) {
    List<java.util.function.Function<StoreContext, StepResult>> steps =
        List.of(primary::run, replica::run, endpoints::run, dns::run);
    int step = 0;
    try {
      for (; step < steps.size(); step++) {
        StepResult result = steps.get(step).apply(ctx);
        if (!(result instanceof StepResult.Done)) {
          return result;
        }
      }
      return StepResult.done();
    } catch (AzureFailure failure) {
      if (failure.kind() == AzureFailure.Kind.THROTTLED) {
        // The step was cut short before it saw everything: what it half observed is not news,
        // so the status keeps what the last run knew of it.
        if (step == 1) {
          ctx.replicasObserved = false;
        } else if (step >= 2) {
          ctx.endpointsObserved = false;
        }
        if (ArmBudget.QUEUED.equals(failure.code()) && step > 0) {
          resumes.put(
              ResourceID.fromResource(ctx.store()),
              new Resume(
                  ctx.generation(),
                  java.util.Set.copyOf(RESUMABLE.subList(0, Math.min(step, RESUMABLE.size()))),
                  started));
        }
      }
      return fromFailure(ctx, failure);
    }
  }

  private StepResult connect(StoreContext ctx, ArtifactStore store) {
    SecretReference ref = store.getSpec().getCredentialsSecretRef();
    String identity;
    Supplier<TokenCredential> credential;
    if (ref == null || ref.getName() == null) {
      identity = "operator";
      credential = () -> clients.connection().defaultCredential();
    } else {
      String namespace = store.getMetadata().getNamespace();
      Map<String, String> data = secrets.apply(namespace, ref.getName());
      if (data == null) {
        return new StepResult.Stalled(
            "InvalidSpec",
            "spec.credentialsSecretRef names Secret "
                + ref.getName()
                + ", which does not exist in namespace "
                + namespace
                + ". Create it with the keys tenantId, clientId and clientSecret.");
      }
      List<String> missing =
          List.of("tenantId", "clientId", "clientSecret").stream()
              .filter(k -> data.get(k) == null || data.get(k).isBlank())
              .toList();
      if (!missing.isEmpty()) {
        return new StepResult.Stalled(
            "InvalidSpec",
            "Secret "
                + ref.getName()
                + " lacks "
                + String.join(", ", missing)
                + "; it needs tenantId, clientId and clientSecret.");
      }
      // The key names the Secret's version, never its content, so a rotated secret gets new
      // clients.
      identity =
          "secret:"
              + namespace
              + "/"
              + ref.getName()
              + "@"
              + data.getOrDefault("__resourceVersion", "");
      credential =
          () ->
              clients
                  .connection()
                  .servicePrincipal(
                      data.get("tenantId"), data.get("clientId"), data.get("clientSecret"));
    }
    String id = identity;
    Supplier<TokenCredential> cred = credential;
    ctx.ports = clients.ports(ctx.desired.subscription(), id, cred);
    ctx.portsFor = subscription -> clients.ports(subscription, id, cred);
    return StepResult.done();
  }

  private StepResult fromFailure(StoreContext ctx, AzureFailure f) {
    String subscription = ctx.desired.subscription();
    return switch (f.kind()) {
      case THROTTLED -> {
        Duration wait = f.retryAfter() == null ? Duration.ofSeconds(10) : f.retryAfter();
        if (ArmBudget.QUEUED.equals(f.code())) {
          // Held back by the operator's own budget: only this store waits for its ticket, and
          // when it was a write, the store comes back to send it without reading again.
          if (f.queuedWrite() != null) {
            ctx.queued(f.queuedWrite());
          } else {
            ctx.keepQueuedWrite();
          }
          yield new StepResult.Progressing(
              QUEUED_FOR_BUDGET,
              "Queued: "
                  + f.getMessage()
                  + ". This store's next Azure request goes out when its turn comes.",
              wait);
        }
        gate.pause(subscription, wait);
        yield new StepResult.Progressing(
            WAITING_FOR_BUDGET,
            "ARM throttled subscription "
                + subscription
                + " ("
                + f.describe()
                + "); every store of it pauses for "
                + seconds(wait)
                + " s.",
            wait);
      }
      case AUTHENTICATION ->
          new StepResult.Stalled(
              "AuthenticationFailed",
              "Azure refused the credentials used for subscription "
                  + subscription
                  + ": "
                  + f.getMessage()
                  + ". Fix the Secret named by spec.credentialsSecretRef, or the operator's workload identity.");
      case AUTHORIZATION ->
          new StepResult.Stalled(
              "AuthorizationFailed",
              f.describe()
                  + " Grant the identity the missing permission (e.g. the Contributor role on the resource group) and the operator retries.");
      case POLICY ->
          new StepResult.Stalled(
              "PolicyDenied",
              "An Azure Policy denied the request: "
                  + f.describe()
                  + " Ask the policy owner for an exemption or change the spec.");
      case QUOTA ->
          new StepResult.Stalled(
              "QuotaExceeded",
              f.describe() + " Raise the quota or free capacity; the operator retries.");
      case CONFLICT ->
          new StepResult.Progressing(
              "WaitingForAzure",
              "Azure is busy with this resource (" + f.describe() + "); retrying.",
              f.retryAfter() == null ? Duration.ofSeconds(15) : f.retryAfter());
      case REJECTED, NOT_FOUND ->
          new StepResult.Failed(
              "AzureRejected",
              "Azure rejected a request: " + f.describe() + " Retrying with backoff.",
              Backoff.retry(Conditions.falseSince(ctx.previous, Conditions.READY), ctx.now()));
      case TRANSIENT ->
          new StepResult.Failed(
              "AzureUnavailable",
              "Azure could not be reached or failed: " + f.describe() + " Retrying with backoff.",
              Backoff.retry(Conditions.falseSince(ctx.previous, Conditions.READY), ctx.now()));
    };
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }

  private static String readyMessage(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    StringBuilder text =
        new StringBuilder("Registry ")
            .append(d.loginServer())
            .append(" is ready in ")
            .append(d.region());
    if (d.geo()) {
      text.append(" with a replica in ").append(d.replicaRegion());
    }
    if (!d.endpoints().isEmpty()) {
      text.append("; private DNS is complete for ")
          .append(d.endpoints().size())
          .append(" endpoint(s)");
    }
    return text.append(". Pushes go to ").append(d.region()).append('.').toString();
  }

  public RegionTable regions() {
    return regions;
  }
}
