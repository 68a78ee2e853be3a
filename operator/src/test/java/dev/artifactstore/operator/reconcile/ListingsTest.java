package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new listing that shows a watched resource changed or gone wakes the store that watched it. */
class ListingsTest {
  private final Map<String, String> azure = new HashMap<>();
  private final List<ResourceID> woken = new ArrayList<>();
  private final MovingClock clock = new MovingClock();
  private final Listings<String> listings = new Listings<>(clock, Duration.ofSeconds(10));

  private Listings.Listed<String> list() {
    return listings.list("id|sub/rg", next -> new Listings.Page<>(Map.copyOf(azure), null));
  }

  @Test
  void aChangedOrVanishedResourceWakesItsWatcherOnceAndAnUnchangedOneNobody() {
    listings.wakeWith(woken::add);
    azure.put("a", "ok");
    azure.put("b", "ok");
    azure.put("c", "ok");
    list();
    ResourceID storeA = new ResourceID("a", "ns");
    ResourceID storeB = new ResourceID("b", "ns");
    ResourceID storeC = new ResourceID("c", "ns");
    listings.watch("id|sub/rg", "A", storeA);
    listings.watch("id|sub/rg", "b", storeB);
    listings.watch("id|sub/rg", "c", storeC);

    azure.put("a", "changed by hand");
    azure.remove("b");
    clock.advance(Duration.ofSeconds(11));
    list();

    assertEquals(java.util.Set.of(storeA, storeB), java.util.Set.copyOf(woken));
    assertEquals(2, woken.size());
    clock.advance(Duration.ofSeconds(11));
    list();
    assertEquals(2, woken.size(), "a watch wakes once; the store watches again when in order");
  }

  @Test
  void whatTheOperatorWroteItselfWakesNobody() {
    listings.wakeWith(woken::add);
    azure.put("a", "ok");
    list();
    listings.watch("id|sub/rg", "a", new ResourceID("a", "ns"));

    azure.put("a", "rewritten by the operator");
    listings.update("id|sub/rg", "a", "rewritten by the operator");
    clock.advance(Duration.ofSeconds(11));
    list();

    assertEquals(List.of(), woken);
  }

  @Test
  void aStoreGoneWatchesNothing() {
    listings.wakeWith(woken::add);
    azure.put("a", "ok");
    list();
    ResourceID store = new ResourceID("a", "ns");
    listings.watch("id|sub/rg", "a", store);
    listings.unwatch(store);

    azure.remove("a");
    clock.advance(Duration.ofSeconds(11));
    list();

    assertEquals(List.of(), woken);
  }
}
