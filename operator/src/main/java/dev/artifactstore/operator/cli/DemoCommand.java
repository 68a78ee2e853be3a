package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.metrics.OperatorMetrics;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.OperatorRuntime;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code demo}: the whole product on one machine with no cloud and no cluster. An embedded
 * Kubernetes API, the simulator (or a given ARM endpoint), the operator, the examples applied, and
 * progress shown live until every store is Ready.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole product locally: an embedded Kubernetes API, the Azure simulator (or",
      "--azure-endpoint), the operator, and the example manifests, with live progress."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String NAMESPACE = "default";
  @Mixin CommonOptions common;
  @Mixin AzureOptions azure;

  @Option(
      names = "--exit-when-ready",
      description = "Exit 0 once every store is Ready; non-zero at --timeout.")
  boolean exitWhenReady;

  @Option(
      names = "--timeout",
      converter = DurationConverter.class,
      defaultValue = "${env:ARTIFACTSTORE_DEMO_TIMEOUT:-3m}",
      description =
          "How long to wait for Ready (e.g. 90s, 3m). Env: ARTIFACTSTORE_DEMO_TIMEOUT. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--profile",
      defaultValue = "${env:ARTIFACTSTORE_DEMO_PROFILE:-instant}",
      description =
          "instant, or realistic (Azure-like durations, scaled by --time-scale). Env: ARTIFACTSTORE_DEMO_PROFILE. Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--time-scale",
      defaultValue = "${env:ARTIFACTSTORE_DEMO_TIME_SCALE:-0.1}",
      description =
          "Multiplies realistic durations (0.1: a 90 s replica takes 9 s). Env: ARTIFACTSTORE_DEMO_TIME_SCALE. Default: ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(
      names = "--story",
      description =
          "retrofit: bring a SingleReplication store with a private endpoint to Ready, then switch it to GeoReplication.")
  String story;

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:ARTIFACTSTORE_METRICS_PORT:-0}",
      description =
          "Port of /metrics, /healthz and /readyz on 127.0.0.1 (0: any free port). Env: ARTIFACTSTORE_METRICS_PORT. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Parameters(
      arity = "0..*",
      paramLabel = "MANIFEST",
      description =
          "ArtifactStore manifests to apply (default: the examples), each in its metadata.namespace"
              + " (created if missing), else in default.")
  List<Path> manifests = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Logs.configure(common);
    if (!common.verbose) {
      Logs.quiet("dev.artifactstore");
    }
    PrintStream out = System.out;
    Instant processStart =
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    List<ArtifactStore> stores = DemoStores.load(story, manifests);
    LatencyProfile latency;
    try {
      latency = LatencyProfile.parse(profile, timeScale);
    } catch (IllegalArgumentException e) {
      throw new UserError(
          "--profile must be instant or realistic, and --time-scale positive: " + e.getMessage());
    }

    Simulator simulator = null;
    AzureConnection connection;
    if (azure.endpoint == null || azure.endpoint.isBlank()) {
      simulator =
          Simulator.start(
              Simulator.options()
                  .port(0)
                  .dataDir(Files.createTempDirectory("artifactstore-demo"))
                  .profile(latency));
      azure.endpoint = simulator.endpoint();
      azure.caCert = simulator.caCertificate();
    }
    connection = azure.connection();
    try {
      PlatformBaseline.create(connection);
    } catch (RuntimeException e) {
      throw new UserError("cannot prepare Azure at " + azure.endpoint + ": " + firstLine(e), 1);
    }

    EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
    KubernetesClient client = kubernetes.client();

    Clock clock = Clock.systemUTC();
    OperatorMetrics metrics = new OperatorMetrics(clock);
    AtomicReference<Instant> firstReconcile = new AtomicReference<>();
    ReconcileObserver observer =
        new ReconcileObserver() {
          @Override
          public void reconciled(ArtifactStore store, String result, Duration took) {
            firstReconcile.compareAndSet(null, clock.instant());
            metrics.reconciled(store, result, took);
          }

          @Override
          public void deleted(ArtifactStore store) {
            metrics.deleted(store);
          }
        };
    OperatorRuntime runtime =
        OperatorSettings.demo()
            .start(client, connection, metrics, observer, clock, RegionTable.defaults(), Set.of());
    HttpEndpoints endpoints =
        HttpEndpoints.start("127.0.0.1", metricsPort, metricsPort, metrics::scrape, runtime::ready);

    out.println(
        "ArtifactStore demo: Kubernetes API " + client.getMasterUrl() + ", ARM " + azure.endpoint);
    Instant applied = clock.instant();
    DemoStores.apply(client, stores);
    out.println(
        "Applied: "
            + stores.stream()
                .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
                .collect(Collectors.joining(", ")));
    ProgressView view = new ProgressView(out, System.console() != null);
    boolean ready = DemoStores.waitForReady(client, stores, view, clock.instant().plus(timeout));
    if (ready && story != null) {
      out.println(
          "All Ready. Now switching "
              + stores.get(0).getMetadata().getName()
              + " to GeoReplication:");
      client
          .resources(ArtifactStore.class)
          .inNamespace(stores.get(0).getMetadata().getNamespace())
          .withName(stores.get(0).getMetadata().getName())
          .edit(
              s -> {
                s.getSpec().setReplicationStrategy(ReplicationStrategy.GeoReplication);
                s.getMetadata().setGeneration(s.getMetadata().getGeneration() + 1);
                return s;
              });
      view = new ProgressView(out, System.console() != null);
      ready = DemoStores.waitForReady(client, stores, view, clock.instant().plus(timeout));
    }
    Instant allReady = clock.instant();

    if (!ready) {
      out.println();
      out.println(
          "Timed out after "
              + timeout.toSeconds()
              + " s: not every store is Ready. Their conditions:");
      DemoReport.statuses(out, client, stores);
      close(endpoints, runtime, kubernetes, simulator);
      return 1;
    }

    out.println();
    out.println("Every store is Ready.");
    out.printf(
        "  process start to first reconcile: %.1f s%n",
        seconds(processStart, firstReconcile.get()));
    out.printf("  manifests applied to all Ready:   %.1f s%n", seconds(applied, allReady));
    out.println();
    out.println("Where to look:");
    out.println("  metrics:        http://127.0.0.1:" + endpoints.metricsPort() + "/metrics");
    out.println("  ARM endpoint:   " + azure.endpoint);
    if (azure.caCert != null) {
      out.println("  CA certificate: " + azure.caCert.toAbsolutePath());
    }
    out.println();
    out.println("Inspect the simulated Azure with the Azure CLI:");
    DemoReport.azHints(out, azure, stores, story != null);
    out.println();
    out.println("Final status of each store:");
    DemoReport.statuses(out, client, stores);
    if (simulator != null) {
      out.println(
          "Simulator journal: " + simulator.journal().entries().size() + " ARM requests answered.");
    }
    out.flush();

    if (exitWhenReady) {
      close(endpoints, runtime, kubernetes, simulator);
      return 0;
    }
    out.println(
        "The demo keeps running (metrics and the simulator stay up); press Ctrl-C to stop.");
    CountDownLatch stop = new CountDownLatch(1);
    Simulator sim = simulator;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close(endpoints, runtime, kubernetes, sim);
                  stop.countDown();
                }));
    stop.await();
    return 0;
  }

  private static double seconds(Instant from, Instant to) {
    return to == null ? Double.NaN : Duration.between(from, to).toMillis() / 1000.0;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void close(
      HttpEndpoints endpoints,
      OperatorRuntime runtime,
      EmbeddedKubernetes kubernetes,
      Simulator simulator) {
    endpoints.close();
    runtime.close();
    kubernetes.close();
    if (simulator != null) {
      simulator.close();
    }
  }
}
