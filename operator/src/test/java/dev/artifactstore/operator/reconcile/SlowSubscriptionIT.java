package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscription whose ARM answers take 10 s holds only its share of the operator's 4 reconcile
 * threads: stores of another subscription, created after 8 of its stores, are built as if it were
 * not there.
 */
class SlowSubscriptionIT {
  static final String SLOW = Simulator.CONNECTIVITY_SUBSCRIPTION;
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults());
    PlatformBaseline.createHub(bed.connection, SLOW);
    bed.simulator.faults().setRequestLatency(SLOW, Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    bed.simulator.faults().setRequestLatency(SLOW, Duration.ZERO);
    bed.close();
  }

  @Test
  void storesOfAnotherSubscriptionAreNotHeldUpByASlowOne() {
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ArtifactStore store =
          Testbed.store(
              "slow" + i, "itslowsub" + i, "eastus", ReplicationStrategy.SingleReplication, false);
      store.getSpec().setSubscriptionId(SLOW);
      bed.create(store);
      slow.add("slow" + i);
    }
    Instant created = Instant.now();
    for (int i = 0; i < 3; i++) {
      bed.create(
          Testbed.store(
              "fast" + i, "itfastsub" + i, "eastus", ReplicationStrategy.SingleReplication, false));
    }
    for (int i = 0; i < 3; i++) {
      bed.awaitReady("fast" + i, Duration.ofSeconds(60));
    }
    Duration took = Duration.between(created, Instant.now());
    // Without shares, the 4 threads wait on the slow subscription's first reads and writes (20 s
    // each at least) before a store of the other one gets a thread at all.
    assertTrue(took.compareTo(Duration.ofSeconds(18)) < 0, "the other subscription took " + took);
    assertFalse(
        slow.stream().map(bed::get).allMatch(Testbed::readyAtGeneration),
        "the slow subscription was still building");
  }
}
