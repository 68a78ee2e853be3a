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
    requireAz();

    try (StandaloneSimulator simulator = new StandaloneSimulator(dir.resolve("sim"))) {
      login(simulator);
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

  /** Registers the simulator as a cloud and logs in with a service principal, as a user would. */
  private void login(StandaloneSimulator simulator) throws Exception {
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
  }

  private static void requireAz() {
    boolean installed = azInstalled();
    if (!installed) {
      System.err.println(
          "\n*** AzureCliIT SKIPPED: the Azure CLI ('az') is not installed here."
              + " .ci/run installs Debian's azure-cli; run it or 'apt-get install azure-cli'. ***\n");
    }
    Assumptions.assumeTrue(installed, "az is not installed");
  }

  /**
   * What the portal or CLI leaves, made with `az rest` (Debian's az cannot load its network module
   * offline): the simulator refuses an endpoint outside its network's region, as Azure does, and
   * `az resource list` (an empty $filter) finds what was made.
   */
  @Test
  void cliMadeEndpointFollowsAzuresPrivateLinkRules() throws Exception {
    requireAz();
    try (StandaloneSimulator simulator = new StandaloneSimulator(dir.resolve("sim"))) {
      login(simulator);
      String arm = simulator.endpoint.substring(0, simulator.endpoint.length() - 1);
      String sub = Simulator.DEFAULT_SUBSCRIPTION;
      String net = "/subscriptions/" + sub + "/resourceGroups/net-rg/providers/Microsoft.Network";
      az(simulator, "group", "create", "-n", "net-rg", "-l", "eastus");
      az(
          simulator,
          "acr",
          "create",
          "-g",
          "net-rg",
          "-n",
          "clipeered",
          "--sku",
          "Premium",
          "-l",
          "westus3");
      rest(
          simulator,
          "put",
          arm + net + "/virtualNetworks/hub?api-version=2024-05-01",
          "{\"location\":\"eastus\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.4.0.0/16\"]},"
              + "\"subnets\":[{\"name\":\"pe\",\"properties\":{\"addressPrefix\":\"10.4.0.0/24\"}}]}}");
      String endpoint =
          "{\"location\":\"%s\",\"tags\":{\"owner\":\"net\"},\"properties\":{\"customNetworkInterfaceName\":\"cli-pe-nic\","
              + "\"subnet\":{\"id\":\""
              + net
              + "/virtualNetworks/hub/subnets/pe\"},\"privateLinkServiceConnections\":[{\"name\":\"cli-conn\","
              + "\"properties\":{\"privateLinkServiceId\":\"/subscriptions/"
              + sub
              + "/resourceGroups/net-rg/providers/Microsoft.ContainerRegistry/registries/clipeered\","
              + "\"groupIds\":[\"registry\"]}}]}}";
      String url = arm + net + "/privateEndpoints/cli-pe?api-version=2024-05-01";

      AssertionError refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              AssertionError.class,
              () -> rest(simulator, "put", url, String.format(endpoint, "westus3")));
      org.junit.jupiter.api.Assertions.assertTrue(
          refused.getMessage().contains("InvalidResourceReference"), refused.getMessage());
      JsonNode made =
          ArmHttp.JSON.readTree(rest(simulator, "put", url, String.format(endpoint, "eastus")));
      assertEquals("eastus", made.get("location").asText());
      assertEquals("cli-pe-nic", made.at("/properties/customNetworkInterfaceName").asText());

      // The registry side of the connection, as a registry owner handles it.
      JsonNode connections =
          ArmHttp.JSON.readTree(
              az(
                  simulator,
                  "acr",
                  "private-endpoint-connection",
                  "list",
                  "-r",
                  "clipeered",
                  "-o",
                  "json"));
      assertEquals(1, connections.size());
      String connection = connections.get(0).get("name").asText();
      az(
          simulator,
          "acr",
          "private-endpoint-connection",
          "reject",
          "-r",
          "clipeered",
          "-n",
          connection);
      JsonNode rejected =
          ArmHttp.JSON.readTree(az(simulator, "rest", "--method", "get", "--url", url));
      assertEquals(
          "Rejected",
          rejected
              .at(
                  "/properties/privateLinkServiceConnections/0/properties"
                      + "/privateLinkServiceConnectionState/status")
              .asText());
      az(
          simulator,
          "acr",
          "private-endpoint-connection",
          "approve",
          "-r",
          "clipeered",
          "-n",
          connection);
      JsonNode shown =
          ArmHttp.JSON.readTree(
              az(
                  simulator,
                  "acr",
                  "private-endpoint-connection",
                  "show",
                  "-r",
                  "clipeered",
                  "-n",
                  connection,
                  "-o",
                  "json"));
      assertEquals("Approved", shown.at("/privateLinkServiceConnectionState/status").asText());

      JsonNode listed = ArmHttp.JSON.readTree(az(simulator, "resource", "list", "-o", "json"));
      List<String> names = new ArrayList<>();
      listed.forEach(r -> names.add(r.get("name").asText()));
      org.junit.jupiter.api.Assertions.assertTrue(
          names.containsAll(List.of("clipeered", "hub", "cli-pe")), names.toString());
    }
  }

  private String rest(StandaloneSimulator simulator, String method, String url, String body)
      throws Exception {
    java.nio.file.Path file = dir.resolve("body.json");
    java.nio.file.Files.writeString(file, body);
    return az(simulator, "rest", "--method", method, "--url", url, "--body", "@" + file);
  }
}
