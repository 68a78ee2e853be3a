package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.simulator.arm.LatencyProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ARM throttling and the long-running-operation protocol, as seen on the wire. */
class ThrottlingAndProtocolTest {
  static final String SUB = "/subscriptions/" + Simulator.DEFAULT_SUBSCRIPTION;
  static final String RG = SUB + "/resourceGroups/protocol";
  static final String V = "?api-version=2025-11-01";

  @TempDir static Path dataDir;
  static Simulator simulator;
  static ArmHttp arm;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options().port(0).dataDir(dataDir).profile(LatencyProfile.realistic(0.05)));
    arm = new ArmHttp(simulator);
    arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void readsBeyondTheBurstGet429WithRetryAfterAndRemainingReadsCountDown() {
    simulator.throttling().setEnabled(true);
    List<Integer> statuses = new ArrayList<>();
    List<Long> remaining = new ArrayList<>();
    ArmHttp.Response throttled = null;
    long started = System.nanoTime();
    for (int i = 0; i < 300; i++) {
      ArmHttp.Response r = arm.call("GET", RG + "?api-version=2024-11-01", null);
      statuses.add(r.status());
      if (r.status() == 200) {
        remaining.add(Long.parseLong(r.header("x-ms-ratelimit-remaining-subscription-reads")));
      } else if (throttled == null) {
        throttled = r;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long ok = statuses.stream().filter(s -> s == 200).count();
    long tooMany = statuses.stream().filter(s -> s == 429).count();
    System.out.printf("300 reads in %.2f s: %d answered, %d throttled%n", seconds, ok, tooMany);

    assertEquals(300, ok + tooMany);
    assertTrue(tooMany > 0, "no 429 among 300 reads");
    // 250 burst plus what refilled at 25/s while the loop ran.
    assertTrue(
        ok >= 250 && ok <= 250 + Math.ceil(seconds * 25) + 1,
        "answered " + ok + " in " + seconds + " s");
    assertNotNull(throttled);
    assertEquals("SubscriptionRequestsThrottled", throttled.code());
    assertTrue(Long.parseLong(throttled.header("Retry-After")) >= 1);
    assertTrue(
        remaining.get(0) > remaining.get(remaining.size() - 1),
        "remaining reads count down: " + remaining);
    simulator.throttling().setEnabled(false);
  }

  @Test
  void longRunningCreateAnswers201WithAbsoluteAsyncOperationAndRetryAfter() {
    simulator.throttling().setEnabled(false);
    ArmHttp.Response created =
        arm.call(
            "PUT",
            RG + "/providers/Microsoft.ContainerRegistry/registries/lroprotocol" + V,
            Map.of("location", "eastus", "sku", Map.of("name", "Premium")));

    assertEquals(201, created.status());
    assertEquals("Creating", created.body().at("/properties/provisioningState").asText());
    String poll = created.header("Azure-AsyncOperation");
    assertTrue(poll.startsWith(simulator.endpoint()) && poll.contains("api-version="), poll);
    assertTrue(Long.parseLong(created.header("Retry-After")) >= 1);

    ArmHttp.Response status =
        arm.call("GET", "/" + poll.substring(simulator.endpoint().length()), null);
    assertEquals(200, status.status());
    assertEquals(
        "Creating", status.body().get("status").asText(), "ACR reports progress as Creating");
  }

  @Test
  void longRunningDeleteAnswers202WithLocationPolledUntilDone() throws Exception {
    simulator.throttling().setEnabled(false);
    String registry = RG + "/providers/Microsoft.ContainerRegistry/registries/lrodelete";
    arm.call("PUT", registry + V, Map.of("location", "eastus", "sku", Map.of("name", "Basic")));
    org.awaitility.Awaitility.await()
        .until(
            () ->
                "Succeeded"
                    .equals(
                        arm.call("GET", registry + V, null)
                            .body()
                            .at("/properties/provisioningState")
                            .asText()));

    ArmHttp.Response deleted = arm.call("DELETE", registry + V, null);
    assertEquals(202, deleted.status());
    String location = deleted.header("Location");
    assertTrue(location.startsWith(simulator.endpoint()), location);
    ArmHttp.Response running =
        arm.call("GET", "/" + location.substring(simulator.endpoint().length()), null);
    assertEquals(202, running.status());
    org.awaitility.Awaitility.await()
        .until(
            () ->
                arm.call("GET", "/" + location.substring(simulator.endpoint().length()), null)
                        .status()
                    == 200);
    assertEquals(404, arm.call("GET", registry + V, null).status());
  }

  @Test
  void privateDnsOperationStatusAnswers202WhileRunning() {
    simulator.throttling().setEnabled(false);
    ArmHttp.Response zone =
        arm.call(
            "PUT",
            RG
                + "/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io?api-version=2024-06-01",
            Map.of("location", "global"));
    assertEquals(202, zone.status());
    String status = zone.header("Azure-AsyncOperation");
    assertNotNull(zone.header("Location"));
    ArmHttp.Response poll =
        arm.call("GET", "/" + status.substring(simulator.endpoint().length()), null);
    assertEquals(202, poll.status());
    assertEquals("InProgress", poll.body().get("status").asText());
  }

  @Test
  void everyAnswerIsJournaled() {
    simulator.throttling().setEnabled(false);
    long before = simulator.journal().sequence();
    arm.call("GET", RG + "/providers/Microsoft.ContainerRegistry/registries/journaled" + V, null);
    var entries =
        simulator
            .journal()
            .entries(e -> e.sequence() > before && e.path().endsWith("/registries/journaled"));
    assertEquals(1, entries.size());
    assertEquals(404, entries.get(0).status());
    assertEquals("Microsoft.ContainerRegistry/registries", entries.get(0).resourceType());
    assertEquals("2025-11-01", entries.get(0).apiVersion());
    assertEquals("ResourceNotFound", entries.get(0).errorCode());
  }
}
