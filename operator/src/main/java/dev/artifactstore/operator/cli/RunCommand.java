package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.metrics.OperatorMetrics;
import dev.artifactstore.operator.reconcile.ReconcileSettings;
import dev.artifactstore.operator.reconcile.Tenancy;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the operator against a real cluster (kubeconfig or in-cluster) and Azure. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the operator against a Kubernetes cluster and Azure (or the simulator).")
public final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin AzureOptions azure;

  @Option(
      names = "--kubeconfig",
      defaultValue = "${env:ARTIFACTSTORE_KUBECONFIG}",
      description =
          "Kubeconfig file. Default: in-cluster config, else $KUBECONFIG or ~/.kube/config. Env: ARTIFACTSTORE_KUBECONFIG.")
  Path kubeconfig;

  @Option(
      names = "--namespaces",
      defaultValue = "${env:ARTIFACTSTORE_NAMESPACES:-}",
      description =
          "Comma-separated namespaces to watch; empty watches all. Env: ARTIFACTSTORE_NAMESPACES.")
  String namespaces;

  @Option(
      names = "--label-selector",
      defaultValue = "${env:ARTIFACTSTORE_LABEL_SELECTOR:-}",
      description =
          "Only manage ArtifactStores whose labels match (e.g. shard=a), to split a fleet across releases. Env: ARTIFACTSTORE_LABEL_SELECTOR.")
  String labelSelector;

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:ARTIFACTSTORE_METRICS_PORT:-8080}",
      description = "Port of /metrics. Env: ARTIFACTSTORE_METRICS_PORT. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--health-port",
      defaultValue = "${env:ARTIFACTSTORE_HEALTH_PORT:-8081}",
      description =
          "Port of /healthz and /readyz. Env: ARTIFACTSTORE_HEALTH_PORT. Default: ${DEFAULT-VALUE}.")
  int healthPort;

  @Option(
      names = "--bind-address",
      defaultValue = "${env:ARTIFACTSTORE_BIND_ADDRESS:-0.0.0.0}",
      description =
          "Address the metrics and health ports listen on. Env: ARTIFACTSTORE_BIND_ADDRESS. Default: ${DEFAULT-VALUE}.")
  String bindAddress;

  @Option(
      names = "--resync",
      converter = DurationConverter.class,
      defaultValue = "${env:ARTIFACTSTORE_RESYNC:-PT10M}",
      description =
          "How often a Ready store is observed again for drift (e.g. 10m, 90s or PT10M). Env: ARTIFACTSTORE_RESYNC. Default: ${DEFAULT-VALUE}.")
  Duration resync;

  @Option(
      names = "--stalled-retry",
      converter = DurationConverter.class,
      defaultValue = "${env:ARTIFACTSTORE_STALLED_RETRY:-PT5M}",
      description =
          "How often a Stalled store is retried. Env: ARTIFACTSTORE_STALLED_RETRY. Default: ${DEFAULT-VALUE}.")
  Duration stalledRetry;

  @Option(
      names = "--replica-creating-timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:ARTIFACTSTORE_REPLICA_CREATING_TIMEOUT:-PT60M}",
      description =
          "How long a replica may stay Creating before its store is Stalled with"
              + " ReplicaStuckCreating. Env: ARTIFACTSTORE_REPLICA_CREATING_TIMEOUT. Default:"
              + " ${DEFAULT-VALUE}.")
  Duration replicaCreatingTimeout;

  @Option(
      names = "--concurrency",
      defaultValue = "${env:ARTIFACTSTORE_CONCURRENCY:-10}",
      description =
          "Stores reconciled in parallel. Env: ARTIFACTSTORE_CONCURRENCY. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--arm-reads-per-second",
      defaultValue = "${env:ARTIFACTSTORE_ARM_READS_PER_SECOND:-25}",
      description =
          "Client-side ARM read budget per subscription (refill per second; burst 10x). Env: ARTIFACTSTORE_ARM_READS_PER_SECOND. Default: ${DEFAULT-VALUE}.")
  double readsPerSecond;

  @Option(
      names = "--arm-writes-per-second",
      defaultValue = "${env:ARTIFACTSTORE_ARM_WRITES_PER_SECOND:-10}",
      description =
          "Client-side ARM write and delete budget per subscription (refill per second; burst 20x). Env: ARTIFACTSTORE_ARM_WRITES_PER_SECOND. Default: ${DEFAULT-VALUE}.")
  double writesPerSecond;

  @Option(
      names = "--leader-election",
      defaultValue = "${env:ARTIFACTSTORE_LEADER_ELECTION:-false}",
      description =
          "Elect one active instance through a Lease, so several replicas are safe. Env: ARTIFACTSTORE_LEADER_ELECTION. Default: ${DEFAULT-VALUE}.")
  boolean leaderElection;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:ARTIFACTSTORE_LEASE_NAMESPACE}",
      description =
          "Namespace of the leader-election Lease; default: the operator's own. Env: ARTIFACTSTORE_LEASE_NAMESPACE.")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      defaultValue = "${env:ARTIFACTSTORE_LEASE_NAME:-artifactstore-operator}",
      description =
          "Name of the Lease; give each shard its own. Env: ARTIFACTSTORE_LEASE_NAME. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--cluster-id",
      defaultValue = "${env:ARTIFACTSTORE_CLUSTER_ID:-}",
      description =
          "Names this cluster in the marks put on what the operator creates in Azure; default: the UID of the kube-system namespace. Env: ARTIFACTSTORE_CLUSTER_ID.")
  String clusterId;

  @Option(
      names = "--operator-identity-namespaces",
      defaultValue = "${env:ARTIFACTSTORE_OPERATOR_IDENTITY_NAMESPACES:-*}",
      description =
          "Namespaces whose stores may act with the operator's own Azure identity when they have no credentials Secret: a comma list, or * for all. Env: ARTIFACTSTORE_OPERATOR_IDENTITY_NAMESPACES. Default: ${DEFAULT-VALUE}.")
  String operatorIdentityNamespaces;

  @Option(
      names = "--require-allowed-scopes",
      defaultValue = "${env:ARTIFACTSTORE_REQUIRE_ALLOWED_SCOPES:-false}",
      description =
          "Stores in a namespace without the annotation artifactstore.dev/allowed-scopes touch nothing in Azure. Env: ARTIFACTSTORE_REQUIRE_ALLOWED_SCOPES. Default: ${DEFAULT-VALUE}.")
  boolean requireAllowedScopes;

  @Option(
      names = "--region-overrides",
      defaultValue = "${env:ARTIFACTSTORE_REGION_OVERRIDES}",
      description =
          "Properties file: pair.<primary>=<replica> lines add pairs, zones=<r1>,<r2> replaces the zone list. Env: ARTIFACTSTORE_REGION_OVERRIDES.")
  Path regionOverrides;

  /** Set once the process is shutting down: losing the Lease then is expected. */
  private final AtomicBoolean stopping = new AtomicBoolean();

  @Override
  public Integer call() throws Exception {
    Logs.configure(common);
    Clock clock = Clock.systemUTC();
    AzureConnection connection = azure.connection();
    // Azure's side of the first reconcile (a token, the SDK's classes) gets ready meanwhile.
    Thread warmUp = new Thread(new AzureClients(connection, List.of())::warmUp, "azure-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
    KubernetesClient client = kubernetes(kubeconfig);
    Set<String> namespaceSet = namespaceSet(namespaces);
    checkReachable(client, namespaceSet);
    String cluster = ClusterId.resolve(clusterId, client);
    OperatorMetrics metrics = new OperatorMetrics(clock);
    // Served while the informers sync, so probes get answers: /readyz 503 until the runtime is up.
    AtomicReference<OperatorRuntime> started = new AtomicReference<>();
    HttpEndpoints endpoints =
        HttpEndpoints.start(
            bindAddress,
            metricsPort,
            healthPort,
            metrics::scrape,
            () -> started.get() != null && started.get().ready());
    OperatorRuntime runtime =
        settings(cluster)
            .start(
                client,
                connection,
                metrics,
                metrics,
                clock,
                regions(regionOverrides),
                namespaceSet);
    started.set(runtime);
    System.err.println(
        "artifactstore-operator running: metrics on :"
            + endpoints.metricsPort()
            + "/metrics, health on :"
            + endpoints.healthPort()
            + "/healthz");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  endpoints.close();
                  runtime.close();
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }

  private OperatorSettings settings(String cluster) {
    return new OperatorSettings(
        cluster,
        new ReconcileSettings(
            resync, stalledRetry, ReconcileSettings.RESYNC_JITTER, replicaCreatingTimeout),
        concurrency,
        readsPerSecond,
        writesPerSecond,
        leaderElection ? leaderElection() : null,
        labelSelector,
        Tenancy.namespaces(operatorIdentityNamespaces),
        requireAllowedScopes);
  }

  /**
   * Leader election that ends the process when the Lease is lost, so two instances never reconcile
   * at once, but not when the process is stopping anyway: the framework's own exit, called from the
   * shutdown hook that stops the runtime, would block the JVM's exit for good.
   */
  private LeaderElectionConfiguration leaderElection() {
    return new LeaderElectionConfiguration(
        leaseName,
        leaseNamespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        new LeaderCallbacks(
            () -> {},
            () -> {
              if (!stopping.get()) {
                System.err.println("artifactstore-operator lost its Lease; exiting");
                Thread exit = new Thread(() -> System.exit(1), "lease-lost-exit");
                exit.start();
              }
            },
            leader -> {}),
        false);
  }

  static KubernetesClient kubernetes(Path kubeconfig) {
    try {
      Config config;
      if (kubeconfig != null) {
        if (!Files.isReadable(kubeconfig)) {
          throw new UserError("cannot read kubeconfig " + kubeconfig + ".");
        }
        config = Config.fromKubeconfig(Files.readString(kubeconfig));
      } else {
        config = Config.autoConfigure(null);
      }
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new UserError("cannot load the Kubernetes configuration: " + e.getMessage());
    }
  }

  /**
   * Fails fast, with what to check, when the stores cannot be listed where they are watched. Asks
   * for one store only: the informers list them all a moment later, and a namespaced install may
   * list nowhere else.
   */
  static void checkReachable(KubernetesClient client, Set<String> namespaces) {
    ListOptions one = new ListOptionsBuilder().withLimit(1L).build();
    var stores = client.resources(ArtifactStore.class);
    String where = "all namespaces";
    try {
      if (namespaces.isEmpty()) {
        stores.inAnyNamespace().list(one);
      }
      for (String namespace : namespaces) {
        where = "namespace " + namespace;
        stores.inNamespace(namespace).list(one);
      }
    } catch (RuntimeException e) {
      throw new UserError(
          "cannot list ArtifactStores in "
              + where
              + " at "
              + client.getMasterUrl()
              + " ("
              + e.getMessage()
              + "). Check the kubeconfig, the operator's RBAC and that the ArtifactStore CRD is"
              + " installed.",
          1);
    }
  }

  static RegionTable regions(Path overrides) {
    if (overrides == null) {
      return RegionTable.defaults();
    }
    try {
      return RegionTable.load(overrides);
    } catch (RuntimeException e) {
      throw new UserError(e.getMessage());
    }
  }

  static Set<String> namespaceSet(String namespaces) {
    return namespaces == null || namespaces.isBlank()
        ? Set.of()
        : Arrays.stream(namespaces.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
  }
}
