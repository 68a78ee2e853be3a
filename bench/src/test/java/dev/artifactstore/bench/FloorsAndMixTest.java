package dev.artifactstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.artifactstore.simulator.arm.LatencyProfile;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloorsAndMixTest {
  @Test
  void aThousandGeoStoresWithAnEndpointNeedFourThousandWritesAndThreeHundredEightySeconds() {
    List<StoreMix.Type> stores = StoreMix.parse("geo-endpoint=1").assign(1000);

    Floors floors = Floors.of(stores, LatencyProfile.instant());

    assertEquals(4000, floors.writesNeeded());
    assertEquals(380_000, floors.throttleFloorMs(), "(4000 - 200) / 10 per second");
    assertEquals(0, floors.criticalPathMs(), "instant operations");
  }

  @Test
  void storesSpreadOverSubscriptionsAreHeldOnlyByTheSlowestSubscriptionsBudget() {
    List<StoreMix.Type> stores = StoreMix.parse("single=1,geo-endpoint=1").assign(2000);

    Floors floors = Floors.of(stores, LatencyProfile.instant(), 2);

    // Every single store lands in the first subscription, every geo-endpoint one in the second.
    assertEquals(5000, floors.writesNeeded());
    assertEquals(380_000, floors.throttleFloorMs(), "(4000 - 200) / 10 in the second");
    Subscriptions two = Subscriptions.of(2);
    assertEquals(two.ids().get(0), two.forStore(1));
    assertEquals(two.ids().get(1), two.forStore(2));
    assertEquals(two.ids().get(0), two.forStoreNamed("store-00003"));
  }

  @Test
  void aFewStoresFitInTheBurstAndTheirFloorIsTheCriticalPath() {
    List<StoreMix.Type> stores = StoreMix.parse("single=1,geo=1,geo-endpoint=1").assign(3);

    Floors floors = Floors.of(stores, LatencyProfile.realistic(0.1));

    assertEquals(7, floors.writesNeeded());
    assertEquals(0, floors.throttleFloorMs());
    // registry 20 s + replica 90 s + endpoint 30 s + zone group 10 s, at a tenth of the time.
    assertEquals(15_000, floors.criticalPathMs());
  }

  @Test
  void theMixIsSpreadEvenlyByWeight() {
    List<StoreMix.Type> stores = StoreMix.parse("single=1,geo-endpoint=2").assign(6);

    assertEquals(2, Collections.frequency(stores, StoreMix.Type.SINGLE));
    assertEquals(4, Collections.frequency(stores, StoreMix.Type.GEO_ENDPOINT));
    assertEquals(StoreMix.Type.SINGLE, stores.get(3));
  }

  @Test
  void anUnknownKindIsRefusedByName() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> StoreMix.parse("geo=1,triple=2"));
    assertEquals(
        "unknown store kind 'triple'; use single, geo or geo-endpoint", error.getMessage());
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> sorted = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
    assertEquals(50, ReadyTimes.percentile(sorted, 0.50));
    assertEquals(100, ReadyTimes.percentile(sorted, 0.95));
    assertEquals(10, ReadyTimes.percentile(List.of(10L), 0.95));
  }

  @Test
  void theReadBudgetShareCountsTheBurstAndTheRefill() {
    // 250 burst + 25 per second for 10 s = 500 reads.
    assertEquals(0.5, Floors.readBudgetShare(250, Duration.ofSeconds(10)), 1e-9);
  }

  @Test
  void requestsAreTracedToTheirStoreAndSharedListingsToNone() {
    String group = "/subscriptions/s/resourceGroups/g/providers/";
    assertEquals(
        "store-00042",
        StoreMix.storeOf(group + "Microsoft.ContainerRegistry/registries/bench00042"));
    assertEquals(
        "store-00042",
        StoreMix.storeOf(
            group + "Microsoft.ContainerRegistry/registries/bench00042/replications/westus"));
    assertEquals(
        "store-00007",
        StoreMix.storeOf(group + "Microsoft.Network/privateEndpoints/bench00007-pe"));
    assertEquals(
        null,
        StoreMix.storeOf(group + "Microsoft.Network/privateDnsZones/privatelink.azurecr.io/ALL"));
  }
}
