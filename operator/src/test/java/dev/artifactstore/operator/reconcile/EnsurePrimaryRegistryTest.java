package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.NOW;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Registry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnsurePrimaryRegistryTest {
  private static final String POLL = "op:creating";

  private final FakeAzure azure = new FakeAzure();
  private final ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult run() {
    ctx = StepFixtures.context(store, azure);
    return new EnsurePrimaryRegistry().run(ctx);
  }

  /** A run in a process with these shortcuts (a real one: nothing trusted it did not issue). */
  private StepResult run(Shortcuts shortcuts) {
    ctx = StepFixtures.context(store, azure);
    ctx.shortcuts = shortcuts;
    return new EnsurePrimaryRegistry().run(ctx);
  }

  private void creationUnderWay(OperationState state) {
    StepFixtures.pending(
        store, EnsurePrimaryRegistry.CREATING, REGISTRY_ID, POLL, NOW.minusSeconds(30));
    azure.operations.put(POLL, state);
  }

  private Findings.Primary found() {
    return ctx.findings().primary();
  }

  @Test
  void aMissingRegistryIsCreatedPremiumAndZoneRedundant() {
    var creating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePrimaryRegistry.CREATING, creating.reason());
    assertEquals(FakeAzure.RETRY_AFTER, creating.after());
    assertEquals(List.of("GET registry contosoreg", "PUT registry contosoreg"), azure.calls);
    assertEquals("Premium", azure.registries.registries.get(REGISTRY).sku());
    assertEquals("Enabled", azure.registries.registries.get(REGISTRY).zoneRedundancy());
    assertEquals(
        new PendingOperation(
            EnsurePrimaryRegistry.CREATING,
            REGISTRY_ID,
            "op:PUT registry contosoreg",
            NOW.toString()),
        ctx.pending());
    assertEquals("Provisioning", found().fact().reason());
    assertEquals("Creating", found().registry().getProvisioningState());
  }

  @Test
  void aRunningCreationIsPolledWithoutReadingTheRegistry() {
    creationUnderWay(FakeAzure.state(OperationState.Status.RUNNING, Duration.ofSeconds(3)));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePrimaryRegistry.WAITING, waiting.reason());
    assertEquals(Duration.ofSeconds(3), waiting.after());
    assertEquals(List.of("POLL " + POLL), azure.calls);
    assertEquals(POLL, ctx.pending().getPollUrl());
    assertEquals("False", found().fact().status());
  }

  @Test
  void aSucceededCreationIsTakenAsCreatedWithoutReadingItBack() {
    creationUnderWay(FakeAzure.state(OperationState.Status.SUCCEEDED, null));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("POLL " + POLL), azure.calls);
    assertNull(ctx.pending());
    assertTrue(found().createdNow());
    assertEquals("True", found().fact().status());
    assertEquals("Enabled", found().registry().getZoneRedundancy());
  }

  @Test
  void aFailedCreationFailsWithAzuresCodeAndMessage() {
    creationUnderWay(FakeAzure.failed("InternalServerError", "the disk is on fire"));

    var failed = assertInstanceOf(StepResult.Failed.class, run());

    assertEquals("ProvisioningFailed", failed.reason());
    assertTrue(failed.message().contains("InternalServerError: the disk is on fire"));
    assertEquals(List.of("POLL " + POLL), azure.calls);
    assertNull(ctx.pending());
    assertEquals("ProvisioningFailed", found().fact().reason());
  }

  @Test
  void anExpiredOperationIsFollowedByAReadOfTheRegistry() {
    creationUnderWay(FakeAzure.state(OperationState.Status.GONE, null));
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Succeeded", "Premium"));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("POLL " + POLL, "GET registry contosoreg"), azure.calls);
    assertFalse(found().createdNow());
  }

  @Test
  void aSucceededPremiumRegistryIsDoneWithOneRead() {
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Succeeded", "Premium"));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET registry contosoreg"), azure.calls);
    assertEquals("Succeeded", found().fact().reason());
    assertEquals(REGISTRY_ID, found().registry().getResourceId());
    assertNull(ctx.pending());
  }

  @Test
  void aFailedRegistryIsWrittenAgain() {
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Failed", "Premium"));

    var creating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePrimaryRegistry.CREATING, creating.reason());
    assertEquals(List.of("PUT registry contosoreg"), azure.calls("PUT "));
  }

  @Test
  void aRegistryStillUpdatingIsWaitedFor() {
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Updating", "Premium"));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePrimaryRegistry.WAITING, waiting.reason());
    assertEquals(Backoff.DEFAULT_POLL, waiting.after());
    assertEquals(List.of("GET registry contosoreg"), azure.calls);
    assertEquals("Updating", found().registry().getProvisioningState());
  }

  @Test
  void aRegistryInAnotherRegionStallsAsInvalidSpec() {
    azure.registries.add(FakeRegistries.registry(REGISTRY, "westus", "Succeeded", "Premium"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(stalled.message().contains("already exists in westus"));
    assertEquals("WrongRegion", found().fact().reason());
    assertEquals(List.of("GET registry contosoreg"), azure.calls);
  }

  @Test
  void aStandardRegistryIsUpgradedToPremium() {
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Succeeded", "Standard"));

    var upgrading = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsurePrimaryRegistry.UPGRADING, upgrading.reason());
    assertEquals(List.of("PATCH registry contosoreg sku=Premium"), azure.calls("PATCH "));
    assertEquals(EnsurePrimaryRegistry.UPGRADING, ctx.pending().getStep());
    assertEquals("NotPremium", found().fact().reason());
  }

  @Test
  void aNameTakenElsewhereStallsAsNameUnavailable() {
    azure.failOn(
        "PUT registry contosoreg",
        FakeAzure.failure(AzureFailure.Kind.CONFLICT, 409, "AlreadyInUse"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("NameUnavailable", stalled.reason());
    assertEquals("NameUnavailable", found().fact().reason());
    assertNull(ctx.pending());
  }

  @Test
  void aMissingResourceGroupStallsWithoutAWrite() {
    azure.failOn(
        "GET registry contosoreg",
        FakeAzure.failure(AzureFailure.Kind.NOT_FOUND, 404, "ResourceGroupNotFound"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("ResourceGroupNotFound", stalled.reason());
    assertEquals(List.of("GET registry contosoreg"), azure.calls);
  }

  /**
   * The status still records the registry's creation: the process that started it may have seen it
   * end and added the replica, then died before recording that. A new process does not take the
   * registry as having no replica.
   */
  @Test
  void aCreationAnotherProcessStartedIsNotTakenAsHavingNoReplica() {
    creationUnderWay(FakeAzure.state(OperationState.Status.SUCCEEDED, null));

    assertInstanceOf(StepResult.Done.class, run(new Shortcuts()));

    assertFalse(found().createdNow(), "the replica is read before it is added");
  }

  /** Seen to end twice (the status write after the first time failed): the second is not new. */
  @Test
  void aCreationSeenEndingASecondTimeIsNotTakenAsHavingNoReplica() {
    Shortcuts process = new Shortcuts();
    ArtifactStore creating = StepFixtures.geoStore();
    StoreContext first = StepFixtures.context(creating, azure);
    first.shortcuts = process;
    new EnsurePrimaryRegistry().run(first);
    assertEquals(EnsurePrimaryRegistry.CREATING, first.pending().getStep());
    store.getStatus().setPendingOperation(first.pending());
    azure.operations.put(
        first.pending().getPollUrl(), FakeAzure.state(OperationState.Status.SUCCEEDED, null));

    run(process);
    assertTrue(found().createdNow(), "the first time, by the process that started it");
    azure.calls.clear();
    run(process);
    assertFalse(found().createdNow(), "the second time, the replica may be there already");
  }

  /** A write queued by another process may have gone out since: it is read first. */
  @Test
  void aQueuedCreationFromAnotherProcessIsReadFirst() {
    StepFixtures.queuedWrite(store, REGISTRY_ID);
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Creating", "Premium"));

    run(new Shortcuts());

    assertEquals(List.of("GET registry contosoreg"), azure.calls, "read, and not written again");
  }

  @Test
  void aQueuedCreationGoesOutWithoutReadingFirst() {
    StepFixtures.queuedWrite(store, REGISTRY_ID);

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("PUT registry contosoreg"), azure.calls);
  }

  @Test
  void aCreationQueuedLongerThanItsReadStaysFreshReadsFirstAndLeavesAnotherStoresRegistryAlone() {
    StepFixtures.pending(
        store,
        StoreContext.QUEUED_WRITE,
        REGISTRY_ID,
        null,
        NOW.minus(StoreContext.QUEUED_WRITE_TTL).minusSeconds(1));
    azure.registries.add(
        new Registry(
            REGISTRY_ID,
            "eastus",
            REGISTRY + ".azurecr.io",
            "Succeeded",
            "Enabled",
            "Premium",
            Map.of(Ownership.TAG, "test-cluster/other-team/theirs/created")));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("OwnedByAnotherStore", stalled.reason());
    assertEquals(List.of("GET registry contosoreg"), azure.calls);
  }

  @Test
  void otherFailuresAreLeftToTheChain() {
    AzureFailure unavailable = FakeAzure.failure(AzureFailure.Kind.TRANSIENT, 503, "");
    azure.failOn("GET registry contosoreg", unavailable);

    assertSame(unavailable, assertThrows(AzureFailure.class, this::run));
  }

  @Test
  void observingAMissingRegistryWritesNothing() {
    ctx = StepFixtures.context(store, azure);

    var seen = new EnsurePrimaryRegistry().observe(ctx);

    assertEquals(PrimaryObservation.Kind.MISSING, seen.kind());
    assertEquals(List.of("GET registry contosoreg"), azure.calls);
    assertNull(ctx.findings().primary());
  }

  @Test
  void aStoreResumedAfterItsRegistryWasFoundCallsNothing() {
    StepFixtures.lastRun(store, Conditions.PRIMARY_READY, "True", "Succeeded");
    ctx = StepFixtures.context(store, azure);
    EnsurePrimaryRegistry step = new EnsurePrimaryRegistry();

    step.resume(ctx);

    assertFalse(step.busy(ctx));
    assertEquals("Succeeded", found().fact().reason());
    assertEquals(List.of(), azure.calls);
  }

  @Test
  void aCreationUnderWayKeepsTheStepBusy() {
    creationUnderWay(FakeAzure.state(OperationState.Status.RUNNING, null));

    assertTrue(new EnsurePrimaryRegistry().busy(StepFixtures.context(store, azure)));
  }
}
