package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Azure CLI (Debian's azure-cli, installed by .ci/run) against the standalone jar. */
class AzureCliIT {
  @TempDir Path dir;

  static boolean azInstalled() {
    try {
      Process p = new ProcessBuilder("az", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private String az(StandaloneSimulator simulator, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("az"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("AZURE_CONFIG_DIR", dir.resolve("az").toString());
    env.put("AZURE_CORE_COLLECT_TELEMETRY", "false");
    env.put("AZURE_CORE_NO_COLOR", "true");
    env.put("REQUESTS_CA_BUNDLE", simulator.caCertificate.toString());
    Process process = builder.redirectError(dir.resolve("az-stderr.txt").toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(
          "az "
              + String.join(" ", args)
              + " failed:\n"
              + out
              + java.nio.file.Files.readString(dir.resolve("az-stderr.txt")));
    }
    return out;
  }

  @Test
  void cliCreatesAPremiumRegistryAndItsReplicaAgainstTheStandaloneJar() throws Exception {
    boolean installed = azInstalled();
    if (!installed) {
      System.err.println(
          "\n*** AzureCliIT SKIPPED: the Azure CLI ('az') is not installed here."
              + " .ci/run installs Debian's azure-cli; run it or 'apt-get install azure-cli'. ***\n");
    }
    Assumptions.assumeTrue(installed, "az is not installed");

    try (StandaloneSimulator simulator = new StandaloneSimulator(dir.resolve("sim"))) {
      String e = simulator.endpoint.substring(0, simulator.endpoint.length() - 1);
      az(
          simulator,
          "cloud",
          "register",
          "-n",
          "ArtifactStoreSimulator",
          "--endpoint-resource-manager",
          e + "/",
          "--endpoint-active-directory",
          e + "/adfs",
          "--endpoint-active-directory-resource-id",
          e + "/",
          "--endpoint-active-directory-graph-resource-id",
          e + "/graph/",
          "--suffix-acr-login-server-endpoint",
          ".azurecr.io");
      az(simulator, "cloud", "set", "-n", "ArtifactStoreSimulator");
      az(
          simulator,
          "login",
          "--service-principal",
          "-u",
          "11111111-2222-3333-4444-555555555555",
          "-p",
          "cli-secret",
          "--tenant",
          "11111111-1111-1111-1111-111111111111");
      az(simulator, "group", "create", "-n", "cli-rg", "-l", "eastus");
      az(
          simulator,
          "acr",
          "create",
          "-g",
          "cli-rg",
          "-n",
          "clitestregistry",
          "--sku",
          "Premium",
          "-l",
          "eastus");
      JsonNode shown =
          ArmHttp.JSON.readTree(
              az(simulator, "acr", "show", "-n", "clitestregistry", "-o", "json"));
      assertEquals("clitestregistry.azurecr.io", shown.get("loginServer").asText());
      az(simulator, "acr", "replication", "create", "-r", "clitestregistry", "-l", "westus");

      JsonNode replicas =
          ArmHttp.JSON.readTree(
              az(simulator, "acr", "replication", "list", "-r", "clitestregistry", "-o", "json"));
      Map<String, String> states = new TreeMap<>();
      replicas.forEach(
          r -> states.put(r.get("location").asText(), r.get("provisioningState").asText()));
      assertEquals(Map.of("eastus", "Succeeded", "westus", "Succeeded"), states);
    }
  }
}
