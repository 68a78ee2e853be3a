package dev.artifactstore.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.simulator.arm.LatencyProfile;
import dev.artifactstore.simulator.faults.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injected faults, the admin API, and state that survives a restart. */
class FaultsAndStateTest {
  static final String SUB = "/subscriptions/" + Simulator.DEFAULT_SUBSCRIPTION;
  static final String RG = SUB + "/resourceGroups/faults";
  static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  static final String V = "?api-version=2025-11-01";

  @TempDir Path dataDir;

  private static Map<String, Object> premium(String location) {
    return Map.of("location", location, "sku", Map.of("name", "Premium"));
  }

  private static void awaitState(ArmHttp arm, String path, String state) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                state.equals(
                    arm.call("GET", path + V, null)
                        .body()
                        .at("/properties/provisioningState")
                        .asText()));
  }

  /**
   * What people do by hand, through the admin API: a request served as Azure serves it (a replica
   * deleted, its operation ended), and an endpoint's DNS configuration losing a region's member.
   */
  @Test
  void theAdminApiChangesAzureByHand() throws Exception {
    try (Simulator simulator = Simulator.start(Simulator.options().port(0).dataDir(dataDir))) {
      ArmHttp arm = new ArmHttp(simulator);
      arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
      arm.call("PUT", ACR + "byhand" + V, premium("eastus"));
      awaitState(arm, ACR + "byhand", "Succeeded");
      arm.call("PUT", ACR + "byhand/replications/westus" + V, Map.of("location", "westus"));
      awaitState(arm, ACR + "byhand/replications/westus", "Succeeded");

      ArmHttp.Response deleted =
          arm.call(
              "POST",
              "/_simulator/by-hand",
              Map.of("method", "DELETE", "path", ACR + "byhand/replications/westus" + V));

      assertEquals(200, deleted.status());
      assertEquals(
          404, arm.call("GET", ACR + "byhand/replications/westus" + V, null).status(), "gone");
      ArmHttp.Response unknown =
          arm.call(
              "POST",
              "/_simulator/drift/endpoint-region",
              Map.of(
                  "endpoint",
                  RG + "/providers/Microsoft.Network/privateEndpoints/none",
                  "region",
                  "westus"));
      assertEquals(false, unknown.body().get("changed").asBoolean());
    }
  }

  /**
   * Seeding serves a request through the providers' own rules, in this process: its operation has
   * ended when it returns, nothing is journaled or taken from the throttle budget, and what Azure
   * refuses is refused.
   */
  @Test
  void aSeededRegistryIsThereAtOnceAndWhatAzureRefusesIsRefused() throws Exception {
    try (Simulator simulator =
        Simulator.start(
            Simulator.options().port(0).dataDir(dataDir).profile(LatencyProfile.realistic(1)))) {
      ArmHttp arm = new ArmHttp(simulator);
      arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
      long journaled = simulator.journal().sequence();
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();

      var answer =
          simulator.seed(
              "seeder", "PUT", ACR + "seeded" + V, mapper.valueToTree(premium("eastus")));

      assertEquals(201, answer.status());
      assertEquals(
          "Succeeded",
          simulator.resource(ACR + "seeded").at("/properties/provisioningState").asText(),
          "a 20 s creation has ended");
      assertEquals(journaled, simulator.journal().sequence(), "nothing journaled");
      assertEquals(
          "Succeeded",
          arm.call("GET", ACR + "seeded" + V, null)
              .body()
              .at("/properties/provisioningState")
              .asText());
      var refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              dev.artifactstore.simulator.arm.ArmException.class,
              () ->
                  simulator.seed(
                      "seeder",
                      "PUT",
                      ACR + "missing/replications/westus" + V,
                      mapper.valueToTree(Map.of("location", "westus"))));
      assertEquals(404, refused.status(), "a replica of no registry: " + refused.getMessage());
    }
  }

  /**
   * A subscription answered late holds no worker thread while it waits: with more of its requests
   * in flight than the simulator has workers (16), another subscription's request is answered at
   * once.
   */
  @Test
  void aSlowSubscriptionIsAnsweredLateWithoutHoldingUpAnother() throws Exception {
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).throttling(false))) {
      ArmHttp arm = new ArmHttp(simulator);
      String slow =
          "/subscriptions/"
              + Simulator.CONNECTIVITY_SUBSCRIPTION
              + "/resourceGroups/slow?api-version=2024-11-01";
      arm.call("GET", slow, null);
      simulator
          .faults()
          .setRequestLatency(Simulator.CONNECTIVITY_SUBSCRIPTION, Duration.ofSeconds(2));
      ExecutorService callers = Executors.newFixedThreadPool(24);
      try {
        long sent = System.nanoTime();
        List<Future<ArmHttp.Response>> slowCalls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          slowCalls.add(callers.submit(() -> arm.call("GET", slow, null)));
        }
        Thread.sleep(300);
        long fastSent = System.nanoTime();
        assertEquals(404, arm.call("GET", RG + "?api-version=2024-11-01", null).status());
        long fastMs = (System.nanoTime() - fastSent) / 1_000_000;
        assertTrue(fastMs < 1000, "the other subscription answered in " + fastMs + " ms");
        for (Future<ArmHttp.Response> call : slowCalls) {
          assertEquals(404, call.get(20, TimeUnit.SECONDS).status(), "served after the wait");
        }
        long slowMs = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(slowMs >= 2000, "the slow subscription answered after " + slowMs + " ms");
      } finally {
        callers.shutdownNow();
      }
    }
  }

  @Test
  void failedRequestsOperationsAndOutagesAreInjectedAndCounted() {
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).throttling(false))) {
      ArmHttp arm = new ArmHttp(simulator);
      arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));

      simulator
          .faults()
          .failNextRequests(
              1,
              new Faults.Match("PUT", "/registries/"),
              new Faults.Failure(503, "ServiceUnavailable", "injected"));
      assertEquals(503, arm.call("PUT", ACR + "faulty1" + V, premium("eastus")).status());
      assertEquals(
          201,
          arm.call("PUT", ACR + "faulty1" + V, premium("eastus")).status(),
          "only the next request fails");
      awaitState(arm, ACR + "faulty1", "Succeeded");

      simulator
          .faults()
          .failNextOperations(
              1, new Faults.Match("PUT", "/replications/"), "InternalServerError", "replica broke");
      arm.call("PUT", ACR + "faulty1/replications/westus" + V, Map.of("location", "westus"));
      awaitState(arm, ACR + "faulty1/replications/westus", "Failed");

      simulator.setRegionDown("westus", true);
      ArmHttp.Response down = arm.call("GET", ACR + "faulty1/replications/westus" + V, null);
      assertEquals(503, down.status());
      simulator.setRegionDown("westus", false);
      assertEquals(200, arm.call("GET", ACR + "faulty1/replications/westus" + V, null).status());

      Map<String, Long> injected = simulator.faults().injected();
      assertEquals(1L, injected.get("request-503"));
      assertEquals(1L, injected.get("failed-operation"));
      assertEquals(1L, injected.get("region-outage"));
    }
  }

  @Test
  void regionOutageFailsOperationsRunningThere() {
    try (Simulator simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .throttling(false)
                .profile(LatencyProfile.realistic(0.02)))) {
      ArmHttp arm = new ArmHttp(simulator);
      arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
      arm.call("PUT", ACR + "outage1" + V, premium("eastus"));
      awaitState(arm, ACR + "outage1", "Succeeded");
      arm.call("PUT", ACR + "outage1/replications/westus" + V, Map.of("location", "westus"));

      simulator.setRegionDown("westus", true);
      simulator.setRegionDown("westus", false);

      assertEquals(
          "Failed",
          arm.call("GET", ACR + "outage1/replications/westus" + V, null)
              .body()
              .at("/properties/provisioningState")
              .asText());
    }
  }

  @Test
  void droppedConnectionsAreRetriedByTheSdk() {
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).throttling(false))) {
      AzureSdk sdk = new AzureSdk(simulator);
      simulator.faults().dropNextConnections(1, new Faults.Match("GET", "/resourcegroups/dropme"));
      sdk.resources().resourceGroups().define("dropme").withRegion("eastus").create();

      assertEquals("dropme", sdk.resources().resourceGroups().getByName("dropme").name());
      assertEquals(1L, simulator.faults().injected().get("dropped-connection"));
    }
  }

  @Test
  void stateFileSurvivesARestart() {
    Path state = dataDir.resolve("state.json");
    int port;
    try (Simulator first =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).stateFile(state))) {
      ArmHttp arm = new ArmHttp(first);
      arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
      arm.call("PUT", ACR + "survivor1" + V, premium("eastus"));
      awaitState(arm, ACR + "survivor1", "Succeeded");
      port = first.port();
    }
    try (Simulator second =
        Simulator.start(Simulator.options().port(port).dataDir(dataDir).stateFile(state))) {
      ArmHttp arm = new ArmHttp(second);
      ArmHttp.Response registry = arm.call("GET", ACR + "survivor1" + V, null);
      assertEquals(200, registry.status());
      assertEquals("Succeeded", registry.body().at("/properties/provisioningState").asText());
      assertNotNull(
          second.resource(
              RG
                  + "/providers/Microsoft.ContainerRegistry/registries/survivor1/replications/eastus"));
    }
  }

  @Test
  void adminApiServesTheJournalAndInjectsFaults() {
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).throttling(false))) {
      ArmHttp arm = new ArmHttp(simulator);
      ArmHttp.Response injected =
          arm.call(
              "POST",
              "/_simulator/faults/requests",
              Map.of(
                  "count",
                  1,
                  "method",
                  "GET",
                  "pathContains",
                  "/resourcegroups/",
                  "status",
                  500,
                  "code",
                  "InternalServerError"));
      assertEquals(200, injected.status());
      assertEquals(500, arm.call("GET", RG + "?api-version=2024-11-01", null).status());

      ArmHttp.Response journal = arm.call("GET", "/_simulator/journal", null);
      assertTrue(journal.body().get("entries").size() >= 1);
      assertEquals(500, journal.body().get("entries").get(0).get("status").asInt());
    }
  }
}
