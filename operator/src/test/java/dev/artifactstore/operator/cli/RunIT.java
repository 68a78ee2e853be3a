package dev.artifactstore.operator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.reconcile.Conditions;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} as a process against an API server and a simulator; and its one-line errors. */
class RunIT {
  @TempDir Path dir;

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void runReconcilesAStoreAndServesHealthReadinessAndMetrics() throws Exception {
    EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
    KubernetesClient client = kubernetes.client();
    Path kubeconfig = kubernetes.writeKubeconfig(dir.resolve("kubeconfig"), "tests");
    Process operator = null;
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dir.resolve("sim")))) {
      PlatformBaseline.create(
          AzureConnection.custom(
              simulator.endpoint(),
              simulator.caCertificate(),
              new AzureConnection.DefaultIdentity(
                  null,
                  AzureOptions.DEFAULT_SIMULATOR_CLIENT,
                  AzureOptions.DEFAULT_SIMULATOR_SECRET)));
      int metrics = freePort();
      int health = freePort();
      List<String> run =
          List.of(
              "run",
              "--kubeconfig",
              kubeconfig.toString(),
              "--namespaces",
              "tests",
              "--azure-endpoint",
              simulator.endpoint(),
              "--azure-ca-cert",
              simulator.caCertificate().toString(),
              "--metrics-port",
              Integer.toString(metrics),
              "--health-port",
              Integer.toString(health),
              "--bind-address",
              "127.0.0.1",
              "--leader-election",
              "--lease-namespace",
              "tests");
      JarProcess.Result refused =
          JarProcess.run(
              dir.resolve("refused.log"), Duration.ofSeconds(60), run.toArray(String[]::new));
      assertNotEquals(0, refused.exitCode());
      assertEquals(
          1,
          refused
              .output()
              .lines()
              .filter(l -> l.startsWith("error: ") && l.contains("--cluster-id"))
              .count(),
          "without kube-system and --cluster-id, run refuses:\n" + refused.output());
      // Without --cluster-id, run names the cluster after the kube-system namespace's UID.
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("kube-system")
                  .endMetadata()
                  .build())
          .create();
      // JOSDK names an instance in the Lease after $HOSTNAME.
      operator =
          JarProcess.start(
              JarProcess.OPERATOR, dir.resolve("run.log"), run, Map.of("HOSTNAME", "leader"));

      ArtifactStore store = new ArtifactStore();
      store.setMetadata(
          new ObjectMetaBuilder()
              .withName("run-store")
              .withNamespace("tests")
              .withGeneration(1L)
              .build());
      ArtifactStoreSpec spec = new ArtifactStoreSpec();
      spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
      spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
      spec.setLocation("eastus");
      spec.setRegistryName("runcommand1");
      spec.setReplicationStrategy(ReplicationStrategy.GeoReplication);
      store.setSpec(spec);
      client.resource(store).create();

      Process running = operator;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                assertTrue(
                    running.isAlive(),
                    "the operator exited:\n" + Files.readString(dir.resolve("run.log")));
                ArtifactStore s =
                    client
                        .resources(ArtifactStore.class)
                        .inNamespace("tests")
                        .withName("run-store")
                        .get();
                var ready =
                    s.getStatus() == null
                        ? null
                        : Conditions.find(s.getStatus().getConditions(), Conditions.READY);
                return ready != null && "True".equals(ready.getStatus());
              });

      HttpClient http = HttpClient.newHttpClient();
      assertEquals(
          200,
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/healthz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertEquals(
          200,
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertStandbyIsReady(client, run, health, metrics);

      HttpResponse<String> scrape =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      for (String metric :
          List.of(
              "artifactstore_reconciles_total{result=\"Ready\"}",
              "artifactstore_store_ready{name=\"run-store\",namespace=\"tests\"} 1",
              "artifactstore_replica_ready{name=\"run-store\",namespace=\"tests\",region=\"westus\"} 1",
              "artifactstore_arm_requests_total{code=\"201\",operation=\"PUT registries/replications\"}")) {
        assertTrue(scrape.body().contains(metric), metric + " missing from:\n" + scrape.body());
      }
      Matcher referenced =
          Pattern.compile("artifactstore_[a-z_]+")
              .matcher(
                  Files.readString(
                      JarProcess.REPO.resolve(
                          "helm/artifactstore-operator/files/artifactstore.rules.yaml")));
      while (referenced.find()) {
        assertTrue(
            scrape.body().contains(referenced.group()),
            "the alerts query " + referenced.group() + ", which the operator does not export");
      }
    } finally {
      if (operator != null) {
        stop(operator);
      }
      kubernetes.close();
    }
  }

  /**
   * Stops an operator process with SIGTERM and checks that it exits by itself, a leader too: it
   * must not hang in its shutdown hook (killed after 10 s so a failure leaves nothing running).
   */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    boolean exited = process.waitFor(10, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(exited, "the operator exits on SIGTERM");
  }

  /**
   * A second instance, on standby while the first holds the Lease, answers /readyz 200 once its
   * informers have synced, so a rollout of several replicas proceeds; until then, 503.
   */
  private void assertStandbyIsReady(
      KubernetesClient client, List<String> run, int health, int metrics) throws Exception {
    int standbyHealth = freePort();
    List<String> standbyRun = new ArrayList<>(run);
    standbyRun.set(standbyRun.indexOf(Integer.toString(health)), Integer.toString(standbyHealth));
    standbyRun.set(standbyRun.indexOf(Integer.toString(metrics)), Integer.toString(freePort()));
    Process standby =
        JarProcess.start(
            JarProcess.OPERATOR,
            dir.resolve("standby.log"),
            standbyRun,
            Map.of("HOSTNAME", "standby"));
    try {
      HttpClient http = HttpClient.newHttpClient();
      List<Integer> answers = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                assertTrue(
                    standby.isAlive(),
                    "the standby exited:\n" + Files.readString(dir.resolve("standby.log")));
                try {
                  answers.add(
                      http.send(
                              HttpRequest.newBuilder(
                                      URI.create("http://127.0.0.1:" + standbyHealth + "/readyz"))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode());
                } catch (IOException notListeningYet) {
                  return false;
                }
                return answers.get(answers.size() - 1) == 200;
              });
      assertTrue(
          answers.stream().allMatch(code -> code == 503 || code == 200),
          "/readyz answered " + answers);
      System.out.printf(
          "standby /readyz: %d answers of 503, then 200%n",
          answers.stream().filter(code -> code == 503).count());
      assertEquals(
          "leader",
          client
              .resources(Lease.class)
              .inNamespace("tests")
              .withName("artifactstore-operator")
              .get()
              .getSpec()
              .getHolderIdentity(),
          "the second instance is a standby");
    } finally {
      stop(standby);
    }
  }

  @Test
  void userErrorsGiveOneLineAndANonZeroExit() throws Exception {
    Path ca = dir.resolve("not-a-cert.pem");
    Files.writeString(ca, "this is not a certificate");
    List<String[]> cases =
        List.of(
            new String[] {"run", "--no-such-flag"},
            new String[] {"run", "--kubeconfig", dir.resolve("missing").toString()},
            new String[] {
              "run",
              "--kubeconfig",
              dir.resolve("missing").toString(),
              "--azure-endpoint",
              "https://127.0.0.1:1/",
              "--azure-ca-cert",
              ca.toString()
            },
            new String[] {"demo", "--profile", "sometimes"});
    for (String[] args : cases) {
      JarProcess.Result result =
          JarProcess.run(dir.resolve("err.log"), Duration.ofSeconds(60), args);
      assertNotEquals(0, result.exitCode(), String.join(" ", args));
      List<String> errors = result.output().lines().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), String.join(" ", args) + " printed:\n" + result.output());
      assertTrue(
          !result.output().contains("\tat "),
          "stack trace for " + String.join(" ", args) + ":\n" + result.output());
    }
  }

  @Test
  void helpDocumentsEveryOptionWithItsEnvironmentVariable() throws Exception {
    for (String command : List.of("run", "demo")) {
      JarProcess.Result help =
          JarProcess.run(dir.resolve("help.log"), Duration.ofSeconds(60), command, "--help");
      assertEquals(0, help.exitCode());
      assertTrue(
          help.output().replaceAll("\\s+", " ").contains("--azure-endpoint")
              && help.output()
                  .replaceAll("\\s+", " ")
                  .contains("Env: ARTIFACTSTORE_AZURE_ENDPOINT"),
          help.output());
    }
    JarProcess.Result version =
        JarProcess.run(dir.resolve("version.log"), Duration.ofSeconds(60), "--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.output().startsWith("artifactstore-operator "), version.output());
  }
}
