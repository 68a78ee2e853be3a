package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.simulator.arm.Journal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stores built through a write budget far smaller than their writes: each write waits for its
 * ticket, nothing is written twice, and a queued write goes out on the store's return without the
 * resource being read again.
 */
class ArmBudgetIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults());
    bed.stopOperator();
    // 3 writes of burst (less the 2 % margin: 2) and one per second, against 20 the stores need.
    bed.azurePolicies =
        List.of(
            new ArmBudget(
                Clock.systemUTC(),
                new ArmBudget.Limit(200, 50),
                new ArmBudget.Limit(3, 1),
                new ArmBudget.Limit(3, 1)));
    bed.startOperator();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void queuedWritesGoOutOnceEachWithoutReadingAgain() {
    long before = bed.simulator.journal().sequence();
    List<String> registries =
        List.of("itbudget1", "itbudget2", "itbudget3", "itbudget4", "itbudget5");
    for (String registry : registries) {
      bed.create(
          Testbed.store(registry, registry, "eastus", ReplicationStrategy.GeoReplication, true));
    }
    Set<String> reasons = ConcurrentHashMap.newKeySet();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                registries.stream()
                    .map(bed::get)
                    .peek(
                        s -> {
                          var c = Testbed.condition(s, Conditions.RECONCILING);
                          if (c != null) {
                            reasons.add(c.getReason());
                          }
                        })
                    .allMatch(Testbed::readyAtGeneration));

    List<Journal.Entry> window = bed.simulator.journal().entries(e -> e.sequence() > before);
    assertTrue(reasons.contains(AwaitArmBudget.QUEUED_FOR_BUDGET), "stores queued: " + reasons);
    assertEquals(0, window.stream().filter(e -> e.status() == 429).count(), "no 429");
    Map<String, Long> writes =
        window.stream()
            .filter(e -> !e.method().equals("GET"))
            .collect(Collectors.groupingBy(Journal.Entry::path, Collectors.counting()));
    assertEquals(20, writes.size(), "4 resources per store: " + new TreeSet<>(writes.keySet()));
    assertTrue(writes.values().stream().allMatch(n -> n == 1), "each written once: " + writes);
    for (String registry : registries) {
      long registryReads =
          window.stream()
              .filter(e -> e.method().equals("GET") && e.path().endsWith("/registries/" + registry))
              .count();
      // Read once before its queued PUT, or not at all when the resource group's fresh listing
      // stood for the read.
      assertTrue(registryReads <= 1, registry + " was read " + registryReads + " times");
      long endpointReads =
          window.stream()
              .filter(
                  e ->
                      e.method().equals("GET")
                          && e.path().endsWith("/privateEndpoints/" + registry + "-pe"))
              .count();
      assertTrue(endpointReads <= 3, registry + " endpoint reads: " + endpointReads);
    }
    long listings =
        window.stream()
            .filter(e -> e.method().equals("GET") && e.path().endsWith("/registries"))
            .count();
    assertTrue(listings < registries.size(), "registry listings shared: " + listings);
    var events =
        bed.client.v1().events().inNamespace(Testbed.NAMESPACE).list().getItems().stream()
            .map(e -> e.getReason())
            .collect(Collectors.toSet());
    assertTrue(
        !events.contains(AwaitArmBudget.QUEUED_FOR_BUDGET),
        "waiting for a ticket is routine, not an Event: " + events);
  }
}
