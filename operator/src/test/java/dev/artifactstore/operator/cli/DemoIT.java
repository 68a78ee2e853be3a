package dev.artifactstore.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.artifactstore.operator.azure.TestTrust;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, and the demo against a standalone simulator. */
class DemoIT {
  static final List<Process> STARTED = new ArrayList<>();
  @TempDir Path dir;

  @AfterAll
  static void stopProcesses() {
    STARTED.forEach(Process::destroy);
  }

  @Test
  void demoBringsEveryExampleToReadyAndSaysWhereToLook() throws Exception {
    JarProcess.Result result =
        JarProcess.run(
            dir.resolve("demo.log"),
            Duration.ofMinutes(3),
            "demo",
            "--exit-when-ready",
            "--timeout",
            "120s");

    assertEquals(0, result.exitCode(), result.output());
    String out = result.output();
    assertTrue(out.contains("Every store is Ready."), out);
    for (String store : List.of("contoso-single", "contoso-geo", "contoso-geo-private")) {
      assertTrue(out.contains("--- " + store), "final status of " + store + " missing");
    }
    assertTrue(out.matches("(?s).*process start to first reconcile: +\\d+\\.\\d s.*"), out);
    assertTrue(out.matches("(?s).*manifests applied to all Ready: +\\d+\\.\\d s.*"), out);
    assertTrue(out.contains("az cloud register -n ArtifactStoreSimulator"), out);
    assertTrue(out.contains("az acr replication list -r contosogeo -o table"), out);
    assertTrue(out.contains("/metrics"), out);
    System.out.println(
        out.lines()
            .filter(l -> l.contains("process start") || l.contains("all Ready"))
            .reduce("", (a, b) -> a + b + "\n"));
  }

  @Test
  void manifestsAreAppliedInTheirOwnNamespacesAndTheDefaultOtherwise() throws Exception {
    Path teamA = dir.resolve("team-a.yaml");
    Files.writeString(teamA, DemoStoresTest.manifest("team-a-store", "team-a"));
    Path plain = dir.resolve("plain.yaml");
    Files.writeString(plain, DemoStoresTest.manifest("plain-store", null));
    JarProcess.Result result =
        JarProcess.run(
            dir.resolve("namespaces.log"),
            Duration.ofMinutes(3),
            "demo",
            "--exit-when-ready",
            "--timeout",
            "120s",
            teamA.toString(),
            plain.toString());

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(
        result.output().contains("Applied: team-a/team-a-store, default/plain-store"),
        result.output());
    assertTrue(result.output().contains("Every store is Ready."), result.output());
  }

  @Test
  void invalidManifestExitsNonZeroNamingTheField() throws Exception {
    Path manifest = dir.resolve("bad.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: artifactstore.dev/v1alpha1
        kind: ArtifactStore
        metadata:
          name: bad
        spec:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: contoso-artifacts
          location: eastus
          registryName: ab
        """);
    JarProcess.Result result =
        JarProcess.run(
            dir.resolve("bad.log"),
            Duration.ofMinutes(1),
            "demo",
            "--exit-when-ready",
            manifest.toString());

    assertNotEquals(0, result.exitCode());
    assertTrue(result.output().contains("registryName"), result.output());
    assertTrue(result.output().lines().anyMatch(l -> l.startsWith("error: ")), result.output());
    assertTrue(
        !result.output().contains("\tat "),
        "no stack trace without --verbose:\n" + result.output());
  }

  @Test
  void retrofitStoryOnAStandaloneSimulatorAddsReplicaThenEndpointThenRecordAndAzSeesBothRegions()
      throws Exception {
    String[] simulator = JarProcess.startSimulator(dir, STARTED);
    String endpoint = simulator[0];
    String ca = simulator[1];

    JarProcess.Result retrofit =
        JarProcess.run(
            dir.resolve("retrofit.log"),
            Duration.ofMinutes(3),
            "demo",
            "--story",
            "retrofit",
            "--exit-when-ready",
            "--timeout",
            "120s",
            "--azure-endpoint",
            endpoint,
            "--azure-ca-cert",
            ca);
    assertEquals(0, retrofit.exitCode(), retrofit.output());
    assertTrue(
        retrofit.output().contains("switching contoso-retrofit to GeoReplication"),
        retrofit.output());

    HttpClient http = HttpClient.newBuilder().sslContext(TestTrust.trusting(Path.of(ca))).build();
    JsonNode journal =
        new ObjectMapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(URI.create(endpoint + "_simulator/journal")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    long replica = -1;
    long endpointPut = -1;
    long record = -1;
    for (JsonNode e : journal.get("entries")) {
      String path = e.get("path").asText();
      if (!e.get("method").asText().equals("PUT")) {
        continue;
      }
      if (replica < 0 && path.endsWith("/registries/contosoretrofit/replications/westus")) {
        replica = e.get("sequence").asLong();
      } else if (replica > 0
          && endpointPut < 0
          && path.endsWith("/privateEndpoints/contosoretrofit-pe")) {
        endpointPut = e.get("sequence").asLong();
      } else if (endpointPut > 0 && record < 0 && path.endsWith("/A/contosoretrofit.westus.data")) {
        record = e.get("sequence").asLong();
      }
    }
    assertTrue(
        replica > 0 && endpointPut > replica && record > endpointPut,
        "replica " + replica + ", endpoint " + endpointPut + ", record " + record);

    JarProcess.Result examples =
        JarProcess.run(
            dir.resolve("examples.log"),
            Duration.ofMinutes(3),
            "demo",
            "--exit-when-ready",
            "--timeout",
            "120s",
            "--azure-endpoint",
            endpoint,
            "--azure-ca-cert",
            ca);
    assertEquals(0, examples.exitCode(), examples.output());

    Assumptions.assumeTrue(azInstalled(), "the Azure CLI is not installed; .ci/run installs it");
    Path config = dir.resolve("az");
    az(
        config,
        ca,
        "cloud",
        "register",
        "-n",
        "ArtifactStoreSimulator",
        "--endpoint-resource-manager",
        endpoint,
        "--endpoint-active-directory",
        endpoint + "adfs",
        "--endpoint-active-directory-resource-id",
        endpoint,
        "--endpoint-active-directory-graph-resource-id",
        endpoint + "graph/",
        "--suffix-acr-login-server-endpoint",
        ".azurecr.io");
    az(config, ca, "cloud", "set", "-n", "ArtifactStoreSimulator");
    az(
        config,
        ca,
        "login",
        "--service-principal",
        "-u",
        AzureOptions.DEFAULT_SIMULATOR_CLIENT,
        "-p",
        AzureOptions.DEFAULT_SIMULATOR_SECRET,
        "--tenant",
        "11111111-1111-1111-1111-111111111111");
    JsonNode replicas =
        new ObjectMapper()
            .readTree(
                az(config, ca, "acr", "replication", "list", "-r", "contosogeo", "-o", "json"));
    Map<String, String> states = new TreeMap<>();
    replicas.forEach(
        r -> states.put(r.get("location").asText(), r.get("provisioningState").asText()));
    assertEquals(Map.of("eastus", "Succeeded", "westus", "Succeeded"), states);
  }

  static boolean azInstalled() {
    try {
      Process p = new ProcessBuilder("az", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String az(Path config, String ca, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("az"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AZURE_CONFIG_DIR", config.toString());
    builder.environment().put("AZURE_CORE_COLLECT_TELEMETRY", "false");
    builder.environment().put("REQUESTS_CA_BUNDLE", ca);
    Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertTrue(
        process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0,
        "az " + String.join(" ", args) + " failed: " + out);
    return out;
  }
}
