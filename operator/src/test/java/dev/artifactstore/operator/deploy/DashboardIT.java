package dev.artifactstore.operator.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.faults.Faults;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's queries against what a running operator exports: the packaged jar's {@code run},
 * against an API server and a simulator, scraped twice on /metrics while stores become Ready,
 * stall, fail, get deleted and meet ARM 429s. Prometheus would add job and instance to every
 * series, and the series up; the test does the same.
 */
class DashboardIT {
  static final String JOB = "artifactstore-operator";
  static final String NAMESPACE = "tests";
  static final Path JAR = Tools.REPO.resolve("operator/target/artifactstore-operator.jar");

  static final Map<String, String> VARIABLES =
      Map.of(
          "job",
          JOB,
          "namespace",
          NAMESPACE,
          "arm_reads_per_second",
          "25",
          "arm_writes_per_second",
          "10");

  @TempDir static Path dir;
  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;
  static Simulator simulator;
  static Process operator;
  static int metricsPort;
  static String first;
  static String second;

  @BeforeAll
  static void runTheOperatorAndScrapeItBeforeAndAfterAStoreBecomesReady() throws Exception {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
    simulator = Simulator.start(Simulator.options().port(0).dataDir(dir.resolve("sim")));
    PlatformBaseline.create(
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(
                null, "artifactstore-operator", "simulated-secret")));
    metricsPort = freePort();
    operator = startOperator();

    throttleNextRead("dashgeo1");
    create("geo", "dashgeo1", "eastus", ReplicationStrategy.GeoReplication);
    create("doomed", "dashdoomed1", "eastus", ReplicationStrategy.SingleReplication);
    create("stalled", "dashstalled1", "centralus", ReplicationStrategy.GeoReplication);
    simulator
        .faults()
        .failNextRequests(
            1_000_000,
            new Faults.Match("PUT", "/registries/dashfailing1"),
            new Faults.Failure(400, "BadRequest", "The request is not valid."));
    create("failing", "dashfailing1", "eastus", ReplicationStrategy.SingleReplication);
    awaitScrape(
        "artifactstore_store_ready{name=\"geo\",namespace=\"tests\"} 1.0",
        "artifactstore_store_ready{name=\"doomed\",namespace=\"tests\"} 1.0",
        "artifactstore_store_condition{name=\"stalled\",namespace=\"tests\",type=\"Stalled\"} 1.0",
        "artifactstore_store_failing{name=\"failing\",namespace=\"tests\"} 1.0",
        "code=\"429\"");
    client.resources(ArtifactStore.class).inNamespace(NAMESPACE).withName("doomed").delete();
    awaitScrape("operation=\"DELETE registries\"");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .resources(ArtifactStore.class)
                        .inNamespace(NAMESPACE)
                        .withName("doomed")
                        .get()
                    == null);
    first = scrape();

    throttleNextRead("dashsingle1");
    create("single", "dashsingle1", "eastus", ReplicationStrategy.SingleReplication);
    awaitScrape("artifactstore_store_ready{name=\"single\",namespace=\"tests\"} 1.0");
    second = scrape();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (operator != null) {
        operator.destroy();
        if (!operator.waitFor(5, TimeUnit.SECONDS)) {
          operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (simulator != null) {
        simulator.close();
      }
      if (kubernetes != null) {
        kubernetes.close();
      }
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    Set<String> exported =
        new TreeSet<>(series(second).keySet().stream().map(s -> name(s)).toList());
    // Prometheus makes this series itself for every target it scrapes; the operator does not.
    exported.add("up");
    List<String> missing = new ArrayList<>();
    for (Dashboard.Query query : Dashboard.queries(VARIABLES)) {
      for (String metric : Dashboard.metricNames(query.expr())) {
        if (!exported.contains(metric)) {
          missing.add(query.source() + ": " + metric);
        }
      }
    }
    assertEquals(List.of(), missing, "the dashboard queries metrics the operator does not export");
  }

  @Test
  void everyQueryReturnsNumbersOverTheScrapedSeries() throws Exception {
    Tools.require("promtool", "prometheus");
    List<Dashboard.Query> queries = Dashboard.queries(VARIABLES);
    StringBuilder test =
        new StringBuilder("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
    for (Map.Entry<String, String> s : promtoolSeries().entrySet()) {
      test.append("      - series: ")
          .append(Dashboard.yamlString(s.getKey()))
          .append("\n        values: ")
          .append(Dashboard.yamlString(s.getValue()))
          .append('\n');
    }
    test.append("    promql_expr_test:\n");
    for (Dashboard.Query query : queries) {
      // NaN (a quantile of nothing) is not equal to itself, so it does not count as a result.
      test.append("      - expr: ")
          .append(
              Dashboard.yamlString(
                  "count((" + query.expr() + ") == (" + query.expr() + ")) > bool 0"))
          .append("\n        eval_time: 1m\n        exp_samples:\n")
          .append("          - labels: '{}'\n            value: 1\n");
    }
    Path file = dir.resolve("dashboard.test.yaml");
    Files.writeString(file, test.toString());
    Tools.Result result = Tools.run(dir, List.of("promtool", "test", "rules", file.toString()));
    assertEquals(0, result.exitCode(), "these queries return nothing:\n" + result.output());
    assertTrue(result.output().contains("SUCCESS"), result.output());
  }

  /**
   * Each series of the two scrapes, one minute apart, with job and instance, as promtool's input: a
   * series only in the second is missing ("_") from the first, one only in the first (a deleted
   * store's) goes stale in the second.
   */
  static Map<String, String> promtoolSeries() {
    Map<String, String> before = series(first);
    Map<String, String> after = series(second);
    Set<String> keys = new LinkedHashSet<>(before.keySet());
    keys.addAll(after.keySet());
    Map<String, String> out = new LinkedHashMap<>();
    String target = "instance=\"127.0.0.1:" + metricsPort + "\",job=\"" + JOB + "\"";
    for (String key : keys) {
      String labelled =
          key.endsWith("}")
              ? key.substring(0, key.length() - 1) + "," + target + "}"
              : key + "{" + target + "}";
      out.put(labelled, before.getOrDefault(key, "_") + " " + after.getOrDefault(key, "stale"));
    }
    out.put("up{" + target + "}", "1 1");
    return out;
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][\\w:]*(?:\\{.*\\})?)\\s+(\\S+)(?:\\s+-?\\d+)?$");

  /** Series (name and labels as exported) to value, from the Prometheus text format. */
  static Map<String, String> series(String scrape) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : scrape.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a sample: " + line);
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  static String name(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }

  static Process startOperator() throws Exception {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: this test runs after the package phase");
    }
    Path kubeconfig = kubernetes.writeKubeconfig(dir.resolve("kubeconfig"), NAMESPACE);
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            JAR.toString(),
            "run",
            "--kubeconfig",
            kubeconfig.toString(),
            "--namespaces",
            NAMESPACE,
            "--cluster-id",
            "dashboard",
            "--azure-endpoint",
            simulator.endpoint(),
            "--azure-ca-cert",
            simulator.caCertificate().toString(),
            "--metrics-port",
            Integer.toString(metricsPort),
            "--health-port",
            Integer.toString(freePort()),
            "--bind-address",
            "127.0.0.1")
        .directory(Tools.REPO.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("operator.log").toFile())
        .start();
  }

  static ArtifactStore create(
      String name, String registry, String location, ReplicationStrategy strategy) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withGeneration(1L).build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation(location);
    spec.setRegistryName(registry);
    spec.setReplicationStrategy(strategy);
    spec.setDeletionPolicy(DeletionPolicy.Delete);
    store.setSpec(spec);
    return client.resource(store).create();
  }

  /** ARM answers the next read of the registry 429, as it does when a subscription is busy. */
  static void throttleNextRead(String registry) {
    simulator
        .faults()
        .failNextRequests(
            1,
            new Faults.Match("GET", "/registries/" + registry),
            new Faults.Failure(
                429,
                "SubscriptionRequestsThrottled",
                "Number of 'read' requests for subscription exceeded."));
  }

  static String scrape() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  static void awaitScrape(String... fragments) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertTrue(
                  operator.isAlive(),
                  "the operator exited:\n" + Files.readString(dir.resolve("operator.log")));
              String body;
              try {
                body = scrape();
              } catch (IOException notListeningYet) {
                return false;
              }
              return List.of(fragments).stream().allMatch(body::contains);
            });
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
