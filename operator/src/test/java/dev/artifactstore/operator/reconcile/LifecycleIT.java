package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.faults.Faults;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenarios 9 and 10: deletion under both policies; failed operations and throttling. */
class LifecycleIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults());
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static String endpointId(String name) {
    return "/subscriptions/"
        + PlatformBaseline.SUBSCRIPTION
        + "/resourceGroups/"
        + PlatformBaseline.NETWORK_GROUP
        + "/providers/Microsoft.Network/privateEndpoints/"
        + name;
  }

  private static void deleteAndAwaitGone(String name) {
    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName(name)
        .delete();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> bed.get(name) == null);
    } catch (RuntimeException e) {
      bed.simulator.journal().entries().stream()
          .skip(Math.max(0, bed.simulator.journal().entries().size() - 30))
          .forEach(j -> System.out.println("JOURNAL " + j));
      throw e;
    }
  }

  @Test
  void retainLeavesEveryAzureResourceAndTheFinalizerGoes() {
    bed.create(
        Testbed.store("retain", "itretain1", "eastus", ReplicationStrategy.GeoReplication, true));
    ArtifactStore ready = bed.awaitReady("retain", Duration.ofSeconds(90));
    assertTrue(
        ready.getMetadata().getFinalizers().size() == 1,
        "finalizer: " + ready.getMetadata().getFinalizers());
    long before = bed.simulator.journal().sequence();

    deleteAndAwaitGone("retain");

    assertNotNull(bed.simulator.resource(bed.registryId("itretain1")));
    assertNotNull(bed.simulator.resource(bed.registryId("itretain1") + "/replications/westus"));
    assertNotNull(bed.simulator.resource(endpointId("itretain1-pe")));
    assertNotNull(bed.simulator.resource(PlatformBaseline.zoneId() + "/A/itretain1.westus.data"));
    assertEquals(
        List.of(), bed.simulator.journal().entries(e -> e.sequence() > before && e.isDelete()));
  }

  @Test
  void deleteRemovesWhatTheOperatorCreatedNewestFirst() {
    ArtifactStore store =
        Testbed.store("delete", "itdelete1", "eastus", ReplicationStrategy.GeoReplication, true);
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    bed.awaitReady("delete", Duration.ofSeconds(90));
    long before = bed.simulator.journal().sequence();

    deleteAndAwaitGone("delete");

    assertNull(bed.simulator.resource(bed.registryId("itdelete1")));
    assertNull(bed.simulator.resource(endpointId("itdelete1-pe")));
    assertNull(bed.simulator.resource(PlatformBaseline.zoneId() + "/A/itdelete1.westus.data"));
    assertNull(bed.simulator.resource(PlatformBaseline.zoneId() + "/A/itdelete1"));
    List<Journal.Entry> deletes =
        bed.simulator
            .journal()
            .entries(e -> e.sequence() > before && e.isDelete() && e.status() < 300);
    long record =
        deletes.stream()
            .filter(e -> e.path().contains("/A/itdelete1"))
            .findFirst()
            .orElseThrow()
            .sequence();
    long endpoint =
        deletes.stream()
            .filter(e -> e.path().endsWith("/privateEndpoints/itdelete1-pe"))
            .findFirst()
            .orElseThrow()
            .sequence();
    long replica =
        deletes.stream()
            .filter(e -> e.path().endsWith("/replications/westus"))
            .findFirst()
            .orElseThrow()
            .sequence();
    long registry =
        deletes.stream()
            .filter(e -> e.path().endsWith("/registries/itdelete1"))
            .findFirst()
            .orElseThrow()
            .sequence();
    assertTrue(
        record < endpoint && endpoint < replica && replica < registry, "delete order: " + deletes);
  }

  @Test
  void storeDeletedWhileBeingBuiltTakesWhatWasStartedWithIt() {
    ArtifactStore store =
        Testbed.store("early", "itearly1", "eastus", ReplicationStrategy.GeoReplication, false);
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !bed.journal("/registries/itearly1", e -> e.method().equals("PUT")).isEmpty());
    // The first Azure write is made only once the finalizer is on the store.
    assertTrue(
        bed.get("early").hasFinalizer(ArtifactStoreReconciler.FINALIZER),
        "finalizers: " + bed.get("early").getMetadata().getFinalizers());

    deleteAndAwaitGone("early");

    assertNull(bed.simulator.resource(bed.registryId("itearly1")));
    assertNull(bed.simulator.resource(bed.registryId("itearly1") + "/replications/westus"));
  }

  @Test
  void failedReplicaOperationIsReportedWithAzuresCodeAndRetriedUntilReady() {
    bed.simulator
        .faults()
        .failNextOperations(
            1,
            new Faults.Match("PUT", "/registries/itfail1/replications/"),
            "InternalServerError",
            "The replica broke in the test.");
    bed.create(
        Testbed.store("failing", "itfail1", "eastus", ReplicationStrategy.GeoReplication, false));

    ArtifactStore failed =
        bed.awaitCondition(
            "failing",
            Conditions.REPLICA_READY,
            "False",
            "ProvisioningFailed",
            Duration.ofSeconds(60));
    Condition replica = Testbed.condition(failed, Conditions.REPLICA_READY);
    assertTrue(
        replica.getMessage().contains("InternalServerError")
            && replica.getMessage().contains("The replica broke in the test."),
        replica.getMessage());
    assertEquals("False", Testbed.condition(failed, Conditions.READY).getStatus());

    bed.awaitReady("failing", Duration.ofSeconds(60));
    assertTrue(
        bed.journal("/registries/itfail1/replications/westus", e -> e.method().equals("PUT")).size()
            >= 2,
        "the replica was requested again");
  }

  @Test
  void throttledSubscriptionPausesForRetryAfter() {
    bed.simulator
        .faults()
        .failNextRequests(
            1,
            new Faults.Match("GET", "/registries/itthrottle1"),
            new Faults.Failure(
                429,
                "SubscriptionRequestsThrottled",
                "Number of 'read' requests for subscription exceeded."));
    bed.create(
        Testbed.store(
            "throttled", "itthrottle1", "eastus", ReplicationStrategy.SingleReplication, false));

    bed.awaitReady("throttled", Duration.ofSeconds(60));

    List<Journal.Entry> entries = bed.simulator.journal().entries();
    Journal.Entry throttled =
        entries.stream()
            .filter(e -> e.status() == 429 && e.path().contains("itthrottle1"))
            .findFirst()
            .orElseThrow();
    Journal.Entry next =
        entries.stream()
            .filter(e -> e.sequence() > throttled.sequence() && e.path().contains("itthrottle1"))
            .findFirst()
            .orElseThrow();
    Duration gap = Duration.between(throttled.time(), next.time());
    assertTrue(
        gap.toMillis() >= 900,
        "Retry-After is 1 s; the next request came after " + gap.toMillis() + " ms");
  }

  /**
   * Pausing and resuming act at once, not at the next resync (10 minutes here): the annotation is
   * an event of its own.
   */
  @Test
  void aPausedStoreRequestsNothingAndResumesAtOnceFromWhatAzureHas() {
    bed.create(
        Testbed.store(
            "paused", "itpaused1", "eastus", ReplicationStrategy.SingleReplication, false));
    bed.awaitReady("paused", Duration.ofSeconds(60));
    bed.annotate("paused", HonourPause.ANNOTATION, "skip");
    bed.awaitCondition(
        "paused", Conditions.RECONCILING, "False", HonourPause.PAUSED, Duration.ofSeconds(20));
    // Someone deletes the registry meanwhile; a paused store does not recreate it, and an update
    // of the store that is not one of the operator's annotations does not wake it either.
    bed.azure().registries().deleteRegistry(PlatformBaseline.ARTIFACTS_GROUP, "itpaused1");
    long paused = bed.simulator.journal().sequence();
    bed.annotate("paused", "example.com/owner", "team-a");
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertEquals(
        List.of(),
        bed.journal("itpaused1", e -> e.sequence() > paused),
        "nothing requested while paused");

    bed.annotate("paused", HonourPause.ANNOTATION, null);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> bed.simulator.resource(bed.registryId("itpaused1")) != null);
    bed.awaitReady("paused", Duration.ofSeconds(60));
  }
}
