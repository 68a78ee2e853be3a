package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.NOW;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.RESOURCE_GROUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Registry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a store created is watched in the shared listing of its resource group until it is done: one
 * listing per interval answers for every store that wrote before it began.
 */
class SettleByListingTest {
  private static final String POLL = "op:creating";

  private final MovingClock clock = new MovingClock();
  private final FakeAzure azure = new FakeAzure();

  @Test
  void aListingIsTakenAtMostOncePerIntervalAndServesEveryoneWhoWroteBeforeIt() {
    Listings<String> listings = new Listings<>(clock, Duration.ofMinutes(5));
    int[] pages = {0};
    Listings.Pages<String> read =
        next -> {
          pages[0]++;
          return new Listings.Page<>(Map.of("a", "A" + pages[0]), null);
        };

    var first = listings.after("k", NOW.minusSeconds(3), Duration.ofSeconds(10), read);
    assertEquals("A1", first.listed().get("a"));
    clock.set(NOW.plusSeconds(2));
    var earlier = listings.after("k", NOW.minusSeconds(1), Duration.ofSeconds(10), read);
    assertSame(first.listed().items(), earlier.listed().items(), "wrote before it began");
    var later = listings.after("k", NOW.plusSeconds(1), Duration.ofSeconds(10), read);
    assertNull(later.listed(), "wrote after it began: waits for the next");
    assertEquals(Duration.ofSeconds(8), later.after());
    assertEquals(1, pages[0]);

    clock.set(NOW.plusSeconds(10));
    var next = listings.after("k", NOW.plusSeconds(1), Duration.ofSeconds(10), read);
    assertEquals("A2", next.listed().get("a"));
    assertEquals(2, pages[0]);
  }

  private ArtifactStore creating() {
    ArtifactStore store = StepFixtures.geoStore();
    StepFixtures.pending(
        store, EnsurePrimaryRegistry.CREATING, REGISTRY_ID, POLL, NOW.minusSeconds(5));
    azure.operations.put(POLL, FakeAzure.state(OperationState.Status.RUNNING, null));
    return store;
  }

  @Test
  void aRegistryCreatedIsFoundSucceededInTheListingWithoutAPoll() {
    Listings<Registry> listings = new Listings<>(clock, Duration.ofMinutes(5));
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Succeeded", "Premium"));
    EnsurePrimaryRegistry step = new EnsurePrimaryRegistry(listings);

    StoreContext one = StepFixtures.context(creating(), azure);
    assertInstanceOf(StepResult.Done.class, step.run(one));
    StoreContext two = StepFixtures.context(creating(), azure);
    assertInstanceOf(StepResult.Done.class, step.run(two));

    assertEquals(List.of("LIST registries " + RESOURCE_GROUP), azure.calls);
    assertNull(one.pending());
    assertEquals(true, one.findings().primary().createdNow(), "no replica to look for");
  }

  @Test
  void aRegistryStillCreatingInTheListingIsAskedOfItsOperation() {
    Listings<Registry> listings = new Listings<>(clock, Duration.ofMinutes(5));
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Creating", "Premium"));

    var waiting =
        assertInstanceOf(
            StepResult.Progressing.class,
            new EnsurePrimaryRegistry(listings).run(StepFixtures.context(creating(), azure)));

    assertEquals(EnsurePrimaryRegistry.WAITING, waiting.reason());
    assertEquals(List.of("LIST registries " + RESOURCE_GROUP, "POLL " + POLL), azure.calls);
  }

  @Test
  void aRegistryCreatedAfterTheLastListingWaitsForTheNextReadingNothing() {
    Listings<Registry> listings = new Listings<>(clock, Duration.ofMinutes(5));
    EnsurePrimaryRegistry step = new EnsurePrimaryRegistry(listings);
    azure.registries.add(FakeRegistries.registry(REGISTRY, "eastus", "Creating", "Premium"));
    // A store that created its registry at NOW - 10 s has the resource group listed at NOW - 8 s.
    clock.set(NOW.minusSeconds(8));
    ArtifactStore earlier = StepFixtures.geoStore();
    StepFixtures.pending(
        earlier, EnsurePrimaryRegistry.CREATING, REGISTRY_ID, POLL, NOW.minusSeconds(10));
    azure.operations.put(POLL, FakeAzure.state(OperationState.Status.RUNNING, null));
    step.run(StepFixtures.context(earlier, azure, clock));
    assertEquals(List.of("LIST registries " + RESOURCE_GROUP, "POLL " + POLL), azure.calls);
    azure.calls.clear();
    clock.set(NOW);
    ArtifactStore later = StepFixtures.geoStore();
    StepFixtures.pending(
        later, EnsurePrimaryRegistry.CREATING, REGISTRY_ID, POLL, NOW.minusSeconds(1));

    var waiting =
        assertInstanceOf(
            StepResult.Progressing.class, step.run(StepFixtures.context(later, azure, clock)));

    assertEquals(EnsurePrimaryRegistry.WAITING, waiting.reason());
    assertEquals(List.of(), azure.calls, "the next listing is 2 s away");
    assertEquals(Duration.ofSeconds(2), waiting.after());
  }

  @Test
  void anEndpointCreatedIsFoundCompleteInTheListingWithoutAReadOfItsOwn() {
    Listings<PrivateEndpoint> listings = new Listings<>(clock, Duration.ofMinutes(5));
    ReapplyPrivateEndpoints step = new ReapplyPrivateEndpoints(listings);
    azure.network.networkRegions.put(StepFixtures.VNET_ID, "eastus");
    StoreContext first = context(StepFixtures.geoStore());
    step.run(first);
    assertEquals(List.of("PUT endpoint contosoreg-pe"), azure.calls("PUT "));
    azure.network.add(
        FakeNetwork.endpoint(
            StepFixtures.ENDPOINT,
            "Succeeded",
            ReapplyPrivateEndpointsTest.COMPLETE,
            false,
            StepFixtures.SUBNET_ID,
            false));
    azure.calls.clear();
    clock.set(NOW.plusSeconds(3));

    StoreContext again = context(StepFixtures.geoStore());
    var seen = step.observe(again, again.desired.endpoints().get(0), required(again));

    assertEquals(EndpointObservation.Kind.FOUND, seen.kind());
    assertEquals(List.of("LIST endpoints " + StepFixtures.NETWORK_GROUP), azure.calls);
  }

  @Test
  void anEndpointCreatedAfterTheLastListingWaitsForTheNext() {
    Listings<PrivateEndpoint> listings = new Listings<>(clock, Duration.ofMinutes(5));
    ReapplyPrivateEndpoints step = new ReapplyPrivateEndpoints(listings);
    azure.network.networkRegions.put(StepFixtures.VNET_ID, "eastus");
    StoreContext first = context(StepFixtures.geoStore());
    // Listed a moment before the endpoint is created.
    step.observe(first, first.desired.endpoints().get(0), required(first));
    listings.list(
        first.identity
            + "|"
            + first.desired.endpoints().get(0).subscription()
            + "/"
            + StepFixtures.NETWORK_GROUP,
        next -> new Listings.Page<>(Map.of(), null));
    clock.set(NOW.plusSeconds(1));
    step.run(context(StepFixtures.geoStore()));
    azure.calls.clear();
    clock.set(NOW.plusSeconds(4));

    StoreContext again = context(StepFixtures.geoStore());
    var seen = step.observe(again, again.desired.endpoints().get(0), required(again));

    assertEquals(EndpointObservation.Kind.SETTLING, seen.kind());
    assertEquals(Duration.ofSeconds(6), seen.after());
    assertEquals(List.of(), azure.calls);
  }

  /**
   * An endpoint complete and without a zone group is linked by a first run at NOW; the second run,
   * at {@code later}, comes back as the run after a link does.
   */
  private EndpointObservation linkThenObserveAt(
      ReapplyPrivateEndpoints step, Instant later, boolean recordsWritten) {
    azure.network.add(
        FakeNetwork.endpoint(
            StepFixtures.ENDPOINT,
            "Succeeded",
            ReapplyPrivateEndpointsTest.COMPLETE,
            false,
            StepFixtures.SUBNET_ID,
            false));
    step.run(context(StepFixtures.geoStore()));
    assertEquals(List.of("PUT zonegroup contosoreg-pe/default"), azure.calls("PUT "));
    if (recordsWritten) {
      azure.dns.set(StepFixtures.ZONE, "contosoreg", "10.0.0.4");
      azure.dns.set(StepFixtures.ZONE, "contosoreg.eastus.data", "10.0.0.5");
      azure.dns.set(StepFixtures.ZONE, "contosoreg.westus.data", "10.0.0.6");
    }
    azure.calls.clear();
    clock.set(later);
    ArtifactStore store = StepFixtures.geoStore();
    store
        .getStatus()
        .getPrivateEndpoints()
        .add(
            new dev.artifactstore.operator.api.PrivateEndpointStatus(
                StepFixtures.ENDPOINT, StepFixtures.ENDPOINT_ID, "Succeeded", List.of()));
    StepFixtures.lastStoppedAt(store, ZoneGroups.LINKING_ZONE);
    StoreContext again = context(store);
    return step.observe(again, again.desired.endpoints().get(0), required(again));
  }

  @Test
  void aZoneGroupsRecordsAreFoundInTheZonesListingWithoutReadingTheGroup() {
    ReapplyPrivateEndpoints step =
        new ReapplyPrivateEndpoints(
            new Listings<>(clock, Duration.ofMinutes(5)),
            new ZoneSnapshots(clock, Duration.ofMinutes(5)));

    // The group's records are due 7 s after the link (its Retry-After).
    var seen = linkThenObserveAt(step, NOW.plusSeconds(8), true);

    assertEquals(EndpointObservation.Kind.JUST_LINKED, seen.kind());
    assertEquals(List.of("LIST records " + StepFixtures.ZONE), azure.calls);
    assertEquals(
        ReapplyPrivateEndpointsTest.COMPLETE.get(StepFixtures.LOGIN),
        seen.linked().published().get(StepFixtures.LOGIN));
  }

  @Test
  void aZoneGroupWhoseRecordsTheListingLacksIsRead() {
    ReapplyPrivateEndpoints step =
        new ReapplyPrivateEndpoints(
            new Listings<>(clock, Duration.ofMinutes(5)),
            new ZoneSnapshots(clock, Duration.ofMinutes(5)));

    linkThenObserveAt(step, NOW.plusSeconds(8), false);

    assertEquals(
        List.of("LIST records " + StepFixtures.ZONE, "GET zonegroup contosoreg-pe"),
        azure.calls.subList(0, 2),
        "then as the group says: here it reports nothing, so the endpoint is read");
  }

  @Test
  void aZoneGroupLinkedAfterTheZonesLastListingWaitsForTheNext() {
    ZoneSnapshots zones = new ZoneSnapshots(clock, Duration.ofMinutes(5));
    ReapplyPrivateEndpoints step =
        new ReapplyPrivateEndpoints(new Listings<>(clock, Duration.ofMinutes(5)), zones);
    azure.dns.addZone(StepFixtures.ZONE);
    zones.records(
        StepFixtures.ZONE_ID.toLowerCase(java.util.Locale.ROOT) + "|" + identity(),
        next -> azure.dns.aRecordsPage(StepFixtures.NETWORK_GROUP, StepFixtures.ZONE, next));
    azure.calls.clear();

    var seen = linkThenObserveAt(step, NOW.plusSeconds(8), true);

    assertEquals(EndpointObservation.Kind.LINK_SETTLING, seen.kind());
    assertEquals(List.of(), azure.calls);
    assertEquals(Duration.ofSeconds(12), seen.after(), "the zone was listed at NOW, every 20 s");
  }

  private String identity() {
    return context(StepFixtures.geoStore()).identity;
  }

  private StoreContext context(ArtifactStore store) {
    StoreContext ctx = StepFixtures.context(store, azure, clock);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);
    return ctx;
  }

  private static List<String> required(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    return List.of(d.loginServer(), d.dataEndpoint("eastus"), d.dataEndpoint("westus"));
  }
}
