package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.NOW;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paired replica in the usual course; stuck, recreated and preflighted replicas elsewhere. */
class EnsurePairedReplicaTest {
  static final String REPLICA_ID = REGISTRY_ID + "/replications/westus";
  static final String POLL = "op:replica";

  private final FakeAzure azure = new FakeAzure();
  private ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult run(boolean registryCreatedNow) {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, registryCreatedNow);
    return new EnsurePairedReplica(Duration.ofMinutes(60)).run(ctx);
  }

  private StepResult run() {
    return run(false);
  }

  private Findings.Replicas found() {
    return ctx.findings().replicas();
  }

  @Test
  void singleReplicationNeedsNoReplicaAndNoCall() {
    store = StepFixtures.store(ReplicationStrategy.SingleReplication, false);

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of(), azure.calls);
    assertEquals("NotRequired", found().fact().reason());
    assertEquals(ReplicationStrategy.SingleReplication, found().strategy());
    assertFalse(found().ready());
  }

  @Test
  void aRegistryCreatedThisRunGetsItsReplicaWithoutAListing() {
    var creating = assertInstanceOf(StepResult.Progressing.class, run(true));

    assertEquals(EnsurePairedReplica.CREATING, creating.reason());
    assertEquals(FakeAzure.RETRY_AFTER, creating.after());
    assertEquals(List.of("PUT replication contosoreg/westus"), azure.calls);
    assertEquals(
        new PendingOperation(
            EnsurePairedReplica.CREATING,
            REPLICA_ID,
            "op:PUT replication contosoreg/westus",
            NOW.toString()),
        ctx.pending());
    assertEquals(ReplicationStrategy.GeoReplication, found().strategy());
    assertEquals("Creating", found().replicas().get(0).getProvisioningState());
  }

  @Test
  void aMissingReplicaIsAddedAfterCheckingTheRegistrysEndpoints() {
    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(
        List.of(
            "GET replications contosoreg",
            "GET connections contosoreg",
            "PUT replication contosoreg/westus"),
        azure.calls);
    assertEquals("Disabled", azure.registries.replicas.get("westus").zoneRedundancy());
  }

  @Test
  void aQueuedReplicaGoesOutWithoutReadingFirst() {
    StepFixtures.queuedWrite(store, REPLICA_ID);

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("PUT replication contosoreg/westus"), azure.calls);
  }

  @Test
  void aSucceededReadyReplicaIsDone() {
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Ready", null));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET replications contosoreg"), azure.calls);
    assertTrue(found().ready());
    assertEquals("True", found().fact().status());
    assertEquals(REPLICA_ID, found().replicas().get(0).getResourceId());
    assertNull(ctx.pending());
  }

  @Test
  void aReplicaInAnotherRegionIsNotThePairedOne() {
    azure.registries.add(FakeRegistries.replica("westus2", "Succeeded", "Ready", null));

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("PUT replication contosoreg/westus"), azure.calls("PUT "));
  }

  @Test
  void aSucceededReplicaNotYetReadyIsWaitedFor() {
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Syncing", null));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
    assertEquals(Backoff.DEFAULT_POLL, waiting.after());
    assertEquals("NotReady", found().fact().reason());
    assertFalse(found().ready());
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aFailedReplicaIsWrittenAgain() {
    azure.registries.add(FakeRegistries.replica("westus", "Failed", "Failed", null));

    var creating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.CREATING, creating.reason());
    assertEquals(List.of("PUT replication contosoreg/westus"), azure.calls("PUT "));
  }

  @Test
  void aReplicaBeingCreatedIsWatchedInTheListingAloneNotThroughItsOperation() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(
        POLL, FakeAzure.state(OperationState.Status.RUNNING, Duration.ofSeconds(2)));
    azure.registries.add(FakeRegistries.replica("westus", "Creating", "Provisioning", null));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
    assertEquals(POLL, ctx.pending().getPollUrl());
  }

  @Test
  void aReplicaNotListedYetIsAskedOfItsOperation() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(
        POLL, FakeAzure.state(OperationState.Status.RUNNING, Duration.ofSeconds(2)));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
    assertEquals(Duration.ofSeconds(2), waiting.after());
    assertEquals(List.of("GET replications contosoreg", "POLL " + POLL), azure.calls);
    assertEquals(POLL, ctx.pending().getPollUrl());
  }

  @Test
  void aSucceededReplicaInTheListingEndsItsOperationWithoutAPoll() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(POLL, FakeAzure.state(OperationState.Status.SUCCEEDED, null));
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Ready", null));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET replications contosoreg"), azure.calls);
    assertNull(ctx.pending());
  }

  @Test
  void aSucceededReplicaNotReadyYetIsWaitedFor() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Syncing", null));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
    assertTrue(waiting.message().contains("Syncing"), waiting.message());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
  }

  @Test
  void aFailedOperationFailsWithAzuresCode() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(POLL, FakeAzure.failed("InternalServerError", "try later"));
    azure.registries.add(FakeRegistries.replica("westus", "Failed", "Failed", null));

    var failed = assertInstanceOf(StepResult.Failed.class, run());

    assertEquals("ReplicaProvisioningFailed", failed.reason());
    assertTrue(failed.message().contains("InternalServerError: try later"));
    assertNull(ctx.pending());
    assertEquals(List.of("GET replications contosoreg", "POLL " + POLL), azure.calls);
  }

  @Test
  void aConflictWhileAddingIsWaitedOutNotFailed() {
    azure.failOn(
        "PUT replication contosoreg/westus",
        new AzureFailure(
            AzureFailure.Kind.CONFLICT, 409, "Conflict", "busy", Duration.ofSeconds(20)));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
    assertEquals(Duration.ofSeconds(20), waiting.after());
    assertEquals("Conflict", found().fact().reason());
    assertNull(ctx.pending());
  }

  @Test
  void otherFailuresWhileAddingAreLeftToTheChain() {
    azure.failOn(
        "PUT replication contosoreg/westus",
        FakeAzure.failure(AzureFailure.Kind.QUOTA, 400, "QuotaExceeded"));

    assertThrows(AzureFailure.class, this::run);
  }

  @Test
  void aGeoStoreResumedTakesItsReplicaFromTheLastStatusAsServing() {
    StepFixtures.lastRun(store, Conditions.REPLICA_READY, "True", "Ready");
    ctx = StepFixtures.context(store, azure);

    new EnsurePairedReplica(Duration.ofMinutes(60)).resume(ctx);

    assertEquals("Ready", found().fact().reason());
    assertTrue(found().ready());
    assertEquals(List.of(), azure.calls);
  }
}
