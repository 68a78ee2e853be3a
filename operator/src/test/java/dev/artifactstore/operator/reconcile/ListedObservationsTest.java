package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.Registry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A resync of a Ready store learns its registry from the resource group's shared listing: one
 * listing for every store there, and a read only where the listing shows something to do.
 */
class ListedObservationsTest {
  private final FakeAzure azure = new FakeAzure();
  private final Listings<Registry> listings =
      new Listings<>(StepFixtures.clock(), Duration.ofMinutes(5));

  private StepResult resync(ArtifactStore store) {
    StepFixtures.lastRun(store, Conditions.READY, "True", "Ready");
    return new EnsurePrimaryRegistry(listings).run(StepFixtures.context(store, azure));
  }

  @Test
  void aRegistryInOrderIsTakenFromTheListingListedOnceForAllStores() {
    azure.registries.add(
        FakeRegistries.registry(StepFixtures.REGISTRY, "eastus", "Succeeded", "Premium"));

    assertInstanceOf(StepResult.Done.class, resync(StepFixtures.geoStore()));
    assertInstanceOf(StepResult.Done.class, resync(StepFixtures.geoStore()));

    assertEquals(List.of("LIST registries " + StepFixtures.RESOURCE_GROUP), azure.calls);
  }

  @Test
  void aRegistryTheListingShowsOutOfOrderIsReadBeforeAnythingIsDecided() {
    azure.registries.add(
        FakeRegistries.registry(StepFixtures.REGISTRY, "eastus", "Succeeded", "Standard"));

    resync(StepFixtures.geoStore());

    assertEquals(
        List.of(
            "LIST registries " + StepFixtures.RESOURCE_GROUP,
            "GET registry " + StepFixtures.REGISTRY),
        azure.calls.stream().filter(c -> !c.startsWith("PATCH") && !c.startsWith("PUT")).toList());
  }

  @Test
  void aStoreResumingFromAPauseIsReadNotListed() {
    azure.registries.add(
        FakeRegistries.registry(StepFixtures.REGISTRY, "eastus", "Succeeded", "Premium"));
    ArtifactStore store = StepFixtures.geoStore();
    StepFixtures.lastRun(store, Conditions.READY, "True", "Ready");
    StepFixtures.lastRun(store, Conditions.RECONCILING, "False", HonourPause.PAUSED);

    new EnsurePrimaryRegistry(listings).run(StepFixtures.context(store, azure));

    assertEquals(List.of("GET registry " + StepFixtures.REGISTRY), azure.calls);
  }

  @Test
  void aNewSpecIsReadNotListed() {
    azure.registries.add(
        FakeRegistries.registry(StepFixtures.REGISTRY, "eastus", "Succeeded", "Premium"));
    ArtifactStore store = StepFixtures.geoStore();
    StepFixtures.lastRun(store, Conditions.READY, "True", "Ready");
    store.getMetadata().setGeneration(2L);

    new EnsurePrimaryRegistry(listings).run(StepFixtures.context(store, azure));

    assertEquals(List.of("GET registry " + StepFixtures.REGISTRY), azure.calls);
  }

  /** A listing may be older than a registry made by hand: absence is read before creating. */
  @Test
  void aRegistryTheListingDoesNotShowIsReadBeforeItIsCreated() {
    resync(StepFixtures.geoStore());

    assertEquals(
        List.of(
            "LIST registries " + StepFixtures.RESOURCE_GROUP,
            "GET registry " + StepFixtures.REGISTRY,
            "PUT registry " + StepFixtures.REGISTRY),
        azure.calls);
  }
}
