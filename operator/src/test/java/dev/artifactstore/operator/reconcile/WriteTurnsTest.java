package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.WriteTurns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A store that never saw a resource reads it only when the write that most likely follows can go
 * out at once; the turn goes back when the read finds the resource there.
 */
class WriteTurnsTest {
  private static final String REPLICA_ID = REGISTRY_ID + "/replications/westus";

  /** Turns as the steps see them: a wait per resource, and what was taken and given back. */
  private static final class Turns implements WriteTurns {
    final Map<String, Duration> waits = new HashMap<>();
    final List<String> log = new ArrayList<>();

    @Override
    public Duration take(String resourceId) {
      log.add("take " + resourceId);
      return waits.getOrDefault(resourceId, Duration.ZERO);
    }

    @Override
    public void release(String resourceId) {
      log.add("release " + resourceId);
    }
  }

  private final FakeAzure azure = new FakeAzure();
  private final Turns turns = new Turns();

  private StoreContext context(ArtifactStore store) {
    StoreContext ctx = StepFixtures.context(store, azure);
    ctx.turns = turns;
    return ctx;
  }

  @Test
  void aNewRegistryWaitingForItsTurnIsNotRead() {
    turns.waits.put(REGISTRY_ID, Duration.ofSeconds(7));
    StoreContext ctx = context(StepFixtures.geoStore());

    AzureFailure held =
        assertThrows(AzureFailure.class, () -> new EnsurePrimaryRegistry().run(ctx));

    assertEquals(AzureFailure.Kind.THROTTLED, held.kind());
    assertEquals(ArmBudget.QUEUED, held.code());
    assertEquals(Duration.ofSeconds(7), held.retryAfter());
    assertEquals(null, held.queuedWrite(), "no write was tried, so none may go out unread");
    assertEquals(List.of(), azure.calls);
  }

  @Test
  void onItsTurnTheRegistryIsReadAndCreated() {
    StoreContext ctx = context(StepFixtures.geoStore());

    assertInstanceOf(StepResult.Progressing.class, new EnsurePrimaryRegistry().run(ctx));

    assertEquals(List.of("GET registry contosoreg", "PUT registry contosoreg"), azure.calls);
    assertEquals(List.of("take " + REGISTRY_ID), turns.log);
  }

  @Test
  void aRegistryFoundOnItsTurnGivesTheTurnBack() {
    azure.registries.add(
        FakeRegistries.registry(StepFixtures.REGISTRY, "eastus", "Succeeded", "Premium"));
    StoreContext ctx = context(StepFixtures.geoStore());

    new EnsurePrimaryRegistry().run(ctx);

    assertEquals(List.of("GET registry contosoreg"), azure.calls);
    assertEquals(List.of("take " + REGISTRY_ID, "release " + REGISTRY_ID), turns.log);
  }

  @Test
  void aRegistryTheStoreHasSeenIsReadWithoutATurn() {
    ArtifactStore store = StepFixtures.geoStore();
    StepFixtures.lastRun(store, Conditions.PRIMARY_READY, "True", "Succeeded");
    store.getStatus().setPrimary(new dev.artifactstore.operator.api.RegistryStatus());
    turns.waits.put(REGISTRY_ID, Duration.ofSeconds(7));
    StoreContext ctx = context(store);

    new EnsurePrimaryRegistry().run(ctx);

    assertEquals("GET registry contosoreg", azure.calls.get(0));
    assertEquals(List.of(), turns.log);
  }

  @Test
  void aNewReplicaWaitingForItsTurnIsNotListed() {
    turns.waits.put(REPLICA_ID, Duration.ofSeconds(3));
    StoreContext ctx = context(StepFixtures.geoStore());
    StepFixtures.primaryFound(ctx, false);

    assertThrows(
        AzureFailure.class, () -> new EnsurePairedReplica(Duration.ofMinutes(30)).run(ctx));

    assertEquals(List.of(), azure.calls);
    assertEquals(List.of("take " + REPLICA_ID), turns.log);
  }

  @Test
  void aReplicaFoundOnItsTurnGivesTheTurnBack() {
    azure.registries.add(FakeRegistries.replica("westus", "Succeeded", "Ready", null));
    StoreContext ctx = context(StepFixtures.geoStore());
    StepFixtures.primaryFound(ctx, false);

    assertInstanceOf(
        StepResult.Done.class, new EnsurePairedReplica(Duration.ofMinutes(30)).run(ctx));

    assertEquals(List.of("take " + REPLICA_ID, "release " + REPLICA_ID), turns.log);
  }

  @Test
  void aNewEndpointWaitingForItsTurnIsNotRead() {
    turns.waits.put(ENDPOINT_ID, Duration.ofSeconds(2));
    StoreContext ctx = context(StepFixtures.geoStore());
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);

    assertThrows(AzureFailure.class, () -> new ReapplyPrivateEndpoints().run(ctx));

    assertEquals(List.of(), azure.calls);
    assertEquals(List.of("take " + ENDPOINT_ID), turns.log);
  }

  @Test
  void anEndpointWhoseNetworkIsMissingGivesItsTurnBack() {
    StoreContext ctx = context(StepFixtures.geoStore());
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);

    assertInstanceOf(StepResult.Stalled.class, new ReapplyPrivateEndpoints().run(ctx));

    assertEquals(List.of("take " + ENDPOINT_ID, "release " + ENDPOINT_ID), turns.log);
  }

  @Test
  void onItsTurnTheEndpointIsReadAndCreated() {
    azure.network.networkRegions.put(StepFixtures.VNET_ID, "eastus");
    StoreContext ctx = context(StepFixtures.geoStore());
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);

    new ReapplyPrivateEndpoints().run(ctx);

    assertEquals(
        List.of("GET endpoint contosoreg-pe", "GET vnet hub", "PUT endpoint contosoreg-pe"),
        azure.calls);
    assertEquals(List.of("take " + ENDPOINT_ID), turns.log);
  }
}
