package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.reconcile.ArtifactStoreReconciler;
import dev.artifactstore.operator.reconcile.ReconcileChain;
import dev.artifactstore.operator.reconcile.ReconcileSettings;
import dev.artifactstore.operator.reconcile.StoreEvents;
import dev.artifactstore.operator.reconcile.SubscriptionGate;
import dev.artifactstore.operator.reconcile.Tenancy;
import dev.artifactstore.operator.regions.RegionTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The operator wired together: JOSDK, the reconciler and its chain. Started by {@code run} and
 * {@code demo}.
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;

  private OperatorRuntime(Operator operator) {
    this.operator = operator;
  }

  /**
   * Everything the runtime needs. {@code josdkMetrics} and {@code leaderElection} may be null (no
   * framework metrics; every instance reconciles).
   */
  public record Config(
      String clusterId,
      KubernetesClient client,
      AzureClients azure,
      RegionTable regions,
      ReconcileSettings settings,
      Set<String> namespaces,
      int concurrency,
      Clock clock,
      ReconcileObserver observer,
      Metrics josdkMetrics,
      LeaderElectionConfiguration leaderElection,
      String labelSelector,
      Set<String> operatorIdentityNamespaces,
      boolean requireAllowedScopes) {}

  /** Half a resync period, so each resync sees a listing younger than the previous resync. */
  static Duration zoneListingMaxAge(Duration resync) {
    Duration half = resync.dividedBy(2);
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofMinutes(5);
    return half.compareTo(min) < 0 ? min : half.compareTo(max) > 0 ? max : half;
  }

  public static OperatorRuntime start(Config config) {
    KubernetesClient client = config.client();
    Clock clock = config.clock();
    WatchedSecrets secrets = new WatchedSecrets(client);
    ReconcileChain chain =
        new ReconcileChain(
            config.azure(),
            config.regions(),
            new SubscriptionGate(clock),
            clock,
            secrets,
            new Tenancy(
                config.operatorIdentityNamespaces(),
                config.requireAllowedScopes(),
                new NamespaceAnnotations(client, clock)),
            zoneListingMaxAge(config.settings().resync()),
            config.settings().replicaCreatingTimeout(),
            config.clusterId());
    ArtifactStoreReconciler reconciler =
        new ArtifactStoreReconciler(
            chain,
            config.settings(),
            new StoreEvents(client, clock),
            clock,
            RandomGenerator.getDefault(),
            config.observer(),
            context -> List.of(secrets.eventSource(context)),
            new StatusPatch(client),
            config.concurrency());
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  // The API servers this runs against in tests and the demo do not do server-side
                  // apply.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withCloseClientOnStop(false)
                  .withResourceCloner(new StoreCloner(client.getKubernetesSerialization()))
                  .withConcurrentReconciliationThreads(config.concurrency());
              if (config.josdkMetrics() != null) {
                o.withMetrics(config.josdkMetrics());
              }
              if (config.leaderElection() != null) {
                o.withLeaderElectionConfiguration(config.leaderElection());
              }
            });
    operator.register(
        reconciler,
        c -> {
          c.withRetry(retry(config.settings().resync()));
          if (!config.namespaces().isEmpty()) {
            c.settingNamespaces(config.namespaces());
          }
          if (config.labelSelector() != null && !config.labelSelector().isBlank()) {
            c.withLabelSelector(config.labelSelector());
          }
        });
    operator.start();
    return new OperatorRuntime(operator);
  }

  /**
   * A reconcile that throws (the API server answered 5xx, timed out, refused a status write) is
   * tried again after 1 s, doubling up to a quarter of the resync period (5 minutes at most), for
   * as long as it fails: JOSDK's default gives up after 5 tries (about 30 s), and a store whose
   * retries ran out through a longer outage of the API server would wait for its next event, or
   * JOSDK's 10-hour maximum interval. Once the API server is back, every store is reconciled within
   * a quarter of a period, and within a period through three more failures.
   */
  static GenericRetry retry(Duration resync) {
    Duration quarter = resync.dividedBy(4);
    Duration cap = quarter.compareTo(Duration.ofMinutes(5)) < 0 ? quarter : Duration.ofMinutes(5);
    return new GenericRetry()
        .setInitialInterval(Duration.ofSeconds(1))
        .setIntervalMultiplier(2)
        .setMaxInterval(Math.max(1000, cap.toMillis()))
        .withoutMaxAttempts();
  }

  @Override
  public void close() {
    operator.stop();
  }

  /**
   * Whether this instance is ready: started, and every informer synced and watching. A standby
   * under leader election qualifies too, so rollouts proceed: JOSDK 5 starts and syncs the
   * informers of every instance and holds back only the reconciling until the instance leads.
   */
  public boolean ready() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }
}
