package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.EAST_DATA;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.LOGIN;
import static dev.artifactstore.operator.reconcile.StepFixtures.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.azure.Replica;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replicas and DNS records are written only when the store may: its own, adopted or built before
 * marks; never another store's.
 */
class ClaimsTest {
  private static final String OTHERS = "test-cluster/other-team/theirs/created";
  private static final String REPLICA_ID = StepFixtures.REGISTRY_ID + "/replications/westus";

  private final FakeAzure azure = new FakeAzure();
  private final ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult runReplica() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    return new EnsurePairedReplica(Duration.ofMinutes(60)).run(ctx);
  }

  private static Replica replica(String state, Map<String, String> tags) {
    return new Replica(
        "westus",
        REPLICA_ID,
        "westus",
        state,
        "Failed".equals(state) ? "Failed" : "Ready",
        null,
        "Disabled",
        tags);
  }

  @Test
  void aFailedReplicaMarkedByAnotherStoreIsNotWrittenAgain() {
    azure.registries.add(replica("Failed", Map.of(Ownership.TAG, OTHERS)));

    var stalled = assertInstanceOf(StepResult.Stalled.class, runReplica());

    assertEquals("OwnedByAnotherStore", stalled.reason());
    assertTrue(stalled.message().contains("other-team/theirs"), stalled.message());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
    assertEquals(List.of(), ctx.findings().replicas().replicas());
  }

  @Test
  void anUnmarkedReplicaNeedsAdoptExistingAndIsNotRecordedWhileItWaits() {
    azure.registries.add(replica("Succeeded", Map.of()));

    var stalled = assertInstanceOf(StepResult.Stalled.class, runReplica());

    assertEquals("AdoptionRequired", stalled.reason());
    assertTrue(stalled.message().contains("spec.adoptExisting"), stalled.message());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
    assertEquals(List.of(), ctx.findings().replicas().replicas());
  }

  @Test
  void anUnmarkedReplicaIsMarkedAdoptedWhenTheStoreAdopts() {
    store.getSpec().setAdoptExisting(true);
    azure.registries.add(replica("Succeeded", Map.of("team", "blue")));

    var marking = assertInstanceOf(StepResult.Progressing.class, runReplica());

    assertEquals(ClaimReplica.MARKING, marking.reason());
    assertEquals(
        List.of(
            "PATCH replication contosoreg/westus tags={artifactstoreowner=test-cluster/"
                + Testbed.NAMESPACE
                + "/store/adopted, team=blue}"),
        azure.calls("PATCH "));
  }

  @Test
  void aReplicaTheStatusRecordedReadyBeforeMarksIsMarkedCreated() {
    store
        .getStatus()
        .setReplicas(
            List.of(new ReplicaStatus("westus", REPLICA_ID, "Succeeded", "Ready", "Disabled")));
    StepFixtures.lastRun(store, Conditions.REPLICA_READY, "True", "Ready");
    azure.registries.add(replica("Succeeded", Map.of()));

    assertInstanceOf(StepResult.Progressing.class, runReplica());

    assertEquals(
        List.of(
            "PATCH replication contosoreg/westus tags={artifactstoreowner=test-cluster/"
                + Testbed.NAMESPACE
                + "/store/created}"),
        azure.calls("PATCH "));
  }

  private StepResult runRecords() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, false);
    ctx.found(
        new Findings.Endpoints(
            null,
            List.of(new PrivateEndpointStatus(ENDPOINT, ENDPOINT_ID, "Succeeded", List.of())),
            Map.of(ENDPOINT, Map.of(LOGIN, List.of("10.0.0.4"), EAST_DATA, List.of("10.0.0.5"))),
            Map.of()));
    return new EnsureDnsRecords(new ZoneSnapshots(StepFixtures.clock(), Duration.ofSeconds(30)))
        .run(ctx);
  }

  @Test
  void aRecordMarkedByAnotherStoreIsLeftAlone() {
    azure.dns.set(ZONE, "contosoreg", Map.of(Ownership.TAG, OTHERS), "10.9.9.9");
    azure.dns.set(ZONE, "contosoreg.eastus.data", "10.0.0.5");

    var stalled = assertInstanceOf(StepResult.Stalled.class, runRecords());

    assertEquals("OwnedByAnotherStore", stalled.reason());
    assertEquals(List.of(), azure.calls("PUT "));
    assertEquals(List.of("10.9.9.9"), azure.dns.addresses(ZONE, "contosoreg"));
    assertEquals("OwnedByAnotherStore", ctx.findings().records().fact().reason());
  }

  @Test
  void aNewRecordIsMarkedCreatedAndAnUnmarkedOneAdopted() {
    azure.dns.set(ZONE, "contosoreg", Map.of("owner", "zone-group"), "10.9.9.9");

    assertInstanceOf(StepResult.Done.class, runRecords());

    String mark = "test-cluster/" + Testbed.NAMESPACE + "/store/";
    assertEquals(
        Map.of("owner", "zone-group", Ownership.TAG, mark + "adopted"),
        azure.dns.zones.get(ZONE).get("contosoreg").metadata());
    assertEquals(
        Map.of(Ownership.TAG, mark + "created"),
        azure.dns.zones.get(ZONE).get("contosoreg.eastus.data").metadata());
  }
}
