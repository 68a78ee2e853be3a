package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.EnsurePairedReplicaTest.POLL;
import static dev.artifactstore.operator.reconcile.EnsurePairedReplicaTest.REPLICA_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.NOW;
import static dev.artifactstore.operator.reconcile.StepFixtures.SUBNET_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.Connection;
import dev.artifactstore.operator.azure.OperationState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A replica that does not come up by itself, and the checks before one is requested. */
class EnsurePairedReplicaRecoveryTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(60);

  private final FakeAzure azure = new FakeAzure();
  private final ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult run() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    return new EnsurePairedReplica(TIMEOUT).run(ctx);
  }

  private void askToRecreate() {
    store.getMetadata().setAnnotations(Map.of(EnsurePairedReplica.RECREATE_ANNOTATION, "true"));
  }

  /** The registry has one endpoint connected, in a subnet with {@code free} addresses. */
  private void connectedEndpoint(int free, boolean staticIps) {
    azure.registries.connections.put("conn1", new Connection("conn1", ENDPOINT_ID, "Approved"));
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", Map.of(), false, SUBNET_ID, staticIps));
    azure.network.freeAddresses.put(SUBNET_ID, free);
  }

  private String factReason() {
    return ctx.findings().replicas().fact().reason();
  }

  @Test
  void aReplicaCreatingLongerThanTheTimeoutIsStuck() {
    azure.registries.add(
        FakeRegistries.replica(
            "westus", "Creating", "Provisioning", NOW.minus(TIMEOUT.plusMinutes(1))));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(EnsurePairedReplica.STUCK, stalled.reason());
    assertTrue(stalled.message().contains(EnsurePairedReplica.RECREATE_ANNOTATION + "=true"));
    assertEquals(EnsurePairedReplica.STUCK, factReason());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
  }

  @Test
  void aReplicaCreatingWithinTheTimeoutIsWaitedFor() {
    azure.registries.add(
        FakeRegistries.replica(
            "westus", "Creating", "Provisioning", NOW.minus(TIMEOUT.minusMinutes(1))));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.WAITING, waiting.reason());
  }

  @Test
  void anOperationRunningLongerThanTheTimeoutIsStuck() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(TIMEOUT.plusMinutes(1)));
    azure.registries.add(FakeRegistries.replica("westus", "Creating", "Provisioning", null));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(EnsurePairedReplica.STUCK, stalled.reason());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
  }

  @Test
  void theRecreateAnnotationDeletesTheReplica() {
    askToRecreate();
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Ready", null));

    var recreating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.RECREATING, recreating.reason());
    assertEquals(FakeAzure.RETRY_AFTER, recreating.after());
    assertEquals(
        List.of("GET replications contosoreg", "DELETE replication contosoreg/westus"),
        azure.calls);
    assertEquals("Recreating", factReason());
    assertEquals(Set.of(), ctx.annotationsDone);
  }

  @Test
  void theRecreateAnnotationLooksPastAnOperationStillRunning() {
    askToRecreate();
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(POLL, FakeAzure.state(OperationState.Status.RUNNING, null));
    azure.registries.add(FakeRegistries.replica("westus", "Creating", "Provisioning", null));

    run();

    assertEquals(
        List.of("GET replications contosoreg", "DELETE replication contosoreg/westus"),
        azure.calls);
    assertNull(ctx.pending());
  }

  @Test
  void aReplicaBeingDeletedIsNotDeletedAgain() {
    askToRecreate();
    azure.registries.add(FakeRegistries.replica("westus", "Deleting", "Deleting", null));

    var recreating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.RECREATING, recreating.reason());
    assertEquals(Backoff.DEFAULT_POLL, recreating.after());
    assertEquals(List.of("GET replications contosoreg"), azure.calls);
  }

  @Test
  void onceTheReplicaIsGoneItIsAddedAgainAndTheAnnotationLetGo() {
    askToRecreate();

    var creating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePairedReplica.CREATING, creating.reason());
    assertEquals(List.of("PUT replication contosoreg/westus"), azure.calls("PUT "));
    assertEquals(Set.of(EnsurePairedReplica.RECREATE_ANNOTATION), ctx.annotationsDone);
  }

  @Test
  void aRecreationStoppedBeforeItsRequestKeepsTheAnnotation() {
    askToRecreate();
    connectedEndpoint(0, false);

    assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(Set.of(), ctx.annotationsDone);
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aFullSubnetStopsTheReplicaBeforeItIsRequested() {
    connectedEndpoint(0, false);

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ReplicaPreflight.SUBNET_FULL, stalled.reason());
    assertTrue(stalled.message().contains(SUBNET_ID), stalled.message());
    assertEquals(ReplicaPreflight.SUBNET_FULL, factReason());
    assertEquals(List.of(), azure.calls("PUT "));
    assertNull(ctx.pending());
  }

  @Test
  void aSubnetWithOneFreeAddressLetsTheReplicaBeRequested() {
    connectedEndpoint(1, false);

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(
        List.of(
            "GET replications contosoreg",
            "GET connections contosoreg",
            "GET endpoint contosoreg-pe",
            "GET subnet private-endpoints",
            "PUT replication contosoreg/westus"),
        azure.calls);
  }

  @Test
  void anEndpointWithStaticAddressesStopsTheReplica() {
    connectedEndpoint(10, true);

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ReplicaPreflight.STATIC_IP, stalled.reason());
    assertTrue(stalled.message().contains(ENDPOINT_ID));
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aRollbackNamesTheSubnetTheOperatorCouldNotRead() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(POLL, FakeAzure.failed("InsufficientSubnetSize", "rolled back"));
    connectedEndpoint(0, false);
    azure.failOn(
        "GET subnet private-endpoints",
        FakeAzure.failure(AzureFailure.Kind.AUTHORIZATION, 403, "AuthorizationFailed"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ReplicaPreflight.SUBNET_FULL, stalled.reason());
    assertTrue(stalled.message().contains("could not read subnet " + SUBNET_ID));
    assertEquals("RolledBack", factReason());
    assertNull(ctx.pending());
  }

  @Test
  void aReplicaFailedForStaticAddressesNamesTheEndpoint() {
    StepFixtures.pending(
        store, EnsurePairedReplica.CREATING, REPLICA_ID, POLL, NOW.minus(Duration.ofMinutes(5)));
    azure.operations.put(
        POLL, FakeAzure.failed("BadRequest", "An endpoint has a static IPConfiguration."));
    connectedEndpoint(10, true);

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ReplicaPreflight.STATIC_IP, stalled.reason());
    assertTrue(stalled.message().contains(ENDPOINT_ID));
  }
}
