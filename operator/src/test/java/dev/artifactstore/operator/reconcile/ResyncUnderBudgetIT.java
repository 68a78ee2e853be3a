package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.simulator.arm.Journal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resyncs that want more reads than the budget gives: a resync held back at one read picks up there
 * when it comes back, rather than reading again what it had just read.
 */
class ResyncUnderBudgetIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    // A resync every 1-3 s for two stores wants about 3 reads a second; the budget gives 1.
    bed =
        new Testbed(
            new ReconcileSettings(
                Duration.ofSeconds(2), Duration.ofMinutes(5), ReconcileSettings.RESYNC_JITTER));
    bed.stopOperator();
    bed.azurePolicies =
        List.of(
            new ArmBudget(
                Clock.systemUTC(),
                new ArmBudget.Limit(5, 1),
                new ArmBudget.Limit(200, 50),
                new ArmBudget.Limit(200, 50)));
    bed.startOperator();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void aResyncHeldBackPicksUpWhereItStopped() throws Exception {
    List<String> registries = List.of("itresync1", "itresync2");
    for (String registry : registries) {
      bed.create(
          Testbed.store(registry, registry, "eastus", ReplicationStrategy.GeoReplication, true));
    }
    for (String registry : registries) {
      bed.awaitReady(registry, Duration.ofSeconds(90));
    }
    long from = bed.simulator.journal().sequence();
    Instant start = Instant.now();
    Thread.sleep(30_000);
    List<Journal.Entry> reads =
        bed.simulator.journal().entries(e -> e.sequence() > from && e.method().equals("GET"));
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;

    assertTrue(
        reads.size() >= 0.8 * seconds,
        "the read budget is what holds the resyncs back: " + reads.size() + " reads");
    for (String registry : registries) {
      long registryReads =
          reads.stream().filter(e -> e.path().endsWith("/registries/" + registry)).count();
      long replicaReads =
          reads.stream()
              .filter(e -> e.path().endsWith("/registries/" + registry + "/replications"))
              .count();
      assertTrue(replicaReads >= 3, registry + " resyncs went on: " + replicaReads);
      assertTrue(
          registryReads <= replicaReads + 1,
          registry
              + ": each resync read the registry once, not again after waiting for its next"
              + " read: registry "
              + registryReads
              + ", replications "
              + replicaReads);
      assertTrue(Testbed.readyAtGeneration(bed.get(registry)), registry + " stays Ready meanwhile");
    }
  }
}
