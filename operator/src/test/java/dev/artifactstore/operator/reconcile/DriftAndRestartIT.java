package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.LatencyProfile;
import dev.artifactstore.simulator.faults.Faults;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenarios 7 and 8: drift is restored within a resync; a restart resumes instead of repeating. */
class DriftAndRestartIT {
  static final Duration RESYNC = Duration.ofSeconds(2);
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    // Realistic durations, scaled: a replica takes about 4.5 s, so a restart can land mid-way.
    bed =
        new Testbed(
            new ReconcileSettings(RESYNC, Duration.ofSeconds(5), 0.1),
            LatencyProfile.realistic(0.05));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  /** Counts MODIFIED events of the store: its status writes, since its spec does not change. */
  private static Watch countModifications(String name, AtomicInteger modifications) {
    return bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, ArtifactStore s) {
                if (action == Action.MODIFIED) {
                  modifications.incrementAndGet();
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private static String recordId(String name) {
    return PlatformBaseline.zoneId() + "/A/" + name;
  }

  @Test
  void deletedReplicaRecordAndEndpointRegionAreRestoredAndSteadyStateWritesNothing()
      throws Exception {
    bed.create(
        Testbed.store("drift", "itdrift1", "eastus", ReplicationStrategy.GeoReplication, true));
    bed.awaitReady("drift", Duration.ofSeconds(90));
    String replicaId = bed.registryId("itdrift1") + "/replications/westus";

    // A DNS record deleted by hand.
    bed.azure()
        .dns()
        .deleteARecord(
            PlatformBaseline.NETWORK_GROUP, PlatformBaseline.ZONE, "itdrift1.westus.data", null);
    await()
        .atMost(RESYNC.multipliedBy(5))
        .until(() -> bed.simulator.resource(recordId("itdrift1.westus.data")) != null);

    // The endpoint no longer publishes a region (as after a replica was added by hand).
    String endpointId =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/privateEndpoints/itdrift1-pe";
    bed.dropEndpointRegion(endpointId, "westus");
    await()
        .atMost(RESYNC.multipliedBy(8))
        .until(
            () ->
                bed.simulator
                    .resource(endpointId)
                    .at("/properties/customDnsConfigs")
                    .toString()
                    .contains("itdrift1.westus.data.azurecr.io"));

    // The replica deleted by hand.
    long replicaPutsBefore =
        bed.journal("/registries/itdrift1/replications/westus", e -> e.method().equals("PUT"))
            .size();
    bed.azure()
        .registries()
        .deleteReplication(PlatformBaseline.ARTIFACTS_GROUP, "itdrift1", "westus");
    await().atMost(Duration.ofSeconds(30)).until(() -> bed.simulator.resource(replicaId) == null);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ObjectNode replica = bed.simulator.resource(replicaId);
              return replica != null
                  && "Succeeded".equals(replica.at("/properties/provisioningState").asText());
            });
    bed.awaitReady("drift", Duration.ofSeconds(60));
    assertTrue(
        bed.journal("/registries/itdrift1/replications/westus", e -> e.method().equals("PUT"))
                .size()
            > replicaPutsBefore);

    // Steady state: several resyncs, no Azure write and no status write.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                bed.get("drift").getStatus().getPendingOperation() == null
                    && Testbed.readyAtGeneration(bed.get("drift")));
    Thread.sleep(RESYNC.toMillis() * 2);
    AtomicInteger statusWrites = new AtomicInteger();
    Watch watch = countModifications("drift", statusWrites);
    long sequence = bed.simulator.journal().sequence();
    int resyncs = 3;
    Thread.sleep(RESYNC.toMillis() * resyncs + 500);
    watch.close();
    var window = bed.simulator.journal().entries(e -> e.sequence() > sequence);
    long writes = window.stream().filter(e -> e.isWrite() || e.isDelete()).count();
    long reads = window.stream().filter(e -> e.method().equals("GET")).count();
    System.out.printf(
        "steady state over %d resyncs of one Geo store with an endpoint: %d ARM reads (%.1f per resync), %d writes, %d status writes%n",
        resyncs, reads, reads / (double) resyncs, writes, statusWrites.get());
    assertEquals(0, writes, "Azure writes in steady state: " + window);
    assertEquals(0, statusWrites.get(), "status writes in steady state");
    assertTrue(reads > 0, "the resync observed Azure");
  }

  @Test
  void restartWhileTheReplicaIsCreatingResumesWithoutASecondPut() {
    bed.create(
        Testbed.store(
            "restart", "itrestart1", "eastus", ReplicationStrategy.GeoReplication, false));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              ArtifactStore s = bed.get("restart");
              return s.getStatus() != null
                  && s.getStatus().getPendingOperation() != null
                  && "CreatingReplica".equals(s.getStatus().getPendingOperation().getStep());
            });

    bed.stopOperator();
    bed.startOperator();
    bed.awaitReady("restart", Duration.ofSeconds(60));

    long puts =
        bed.journal("/registries/itrestart1/replications/westus", e -> e.method().equals("PUT"))
            .size();
    assertTrue(puts <= 2, "replica PUTs: " + puts);
    assertEquals(1, puts, "the pending operation in status was resumed, not started again");
  }

  @Test
  void aThrottledResyncLeavesAReadyStoreReady() throws Exception {
    bed.create(
        Testbed.store(
            "starved", "itstarved1", "eastus", ReplicationStrategy.SingleReplication, false));
    bed.awaitReady("starved", Duration.ofSeconds(60));
    AtomicInteger statusWrites = new AtomicInteger();
    Watch watch = countModifications("starved", statusWrites);
    bed.simulator
        .faults()
        .failNextRequests(
            2,
            // A resync learns the registry from its resource group's listing, or reads it.
            new Faults.Match("GET", "/providers/Microsoft.ContainerRegistry/registries"),
            new Faults.Failure(
                429, "SubscriptionRequestsThrottled", "Number of 'read' requests exceeded."));

    await()
        .atMost(RESYNC.multipliedBy(6))
        .until(
            () ->
                bed.journal(
                            "/providers/Microsoft.ContainerRegistry/registries",
                            e -> e.status() == 429)
                        .size()
                    == 2);
    Thread.sleep(RESYNC.toMillis());
    watch.close();

    assertEquals(0, statusWrites.get(), "a resync without budget wrote status");
    assertTrue(Testbed.readyAtGeneration(bed.get("starved")));
  }
}
