package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.RecordSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ZoneSnapshotsTest {
  static final String ZONE =
      "/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io";

  final MovingClock clock = new MovingClock();

  /** A record set as the DNS port lists it. */
  static RecordSet record(String name, String ip) {
    return new RecordSet(name, List.of(ip), RecordSet.CREATED_TTL, Map.of(), "etag-" + name);
  }

  @Test
  void manyStoresShareOneListingUntilItIsOlderThanTheMaximumAge() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofSeconds(30));
    AtomicInteger listings = new AtomicInteger();
    ZoneSnapshots.Pages list =
        next -> {
          listings.incrementAndGet();
          return new DnsPort.RecordPage(
              List.of(record("reg1", "10.1.0.4"), record("REG2", "10.1.0.5")), null);
        };

    for (int store = 0; store < 100; store++) {
      assertEquals(List.of("10.1.0.4"), snapshots.records(ZONE, list).get("reg1"));
    }
    assertEquals(1, listings.get(), "a hundred stores, one listing");
    assertEquals(List.of("10.1.0.5"), snapshots.records(ZONE.toUpperCase(), list).get("reg2"));

    clock.advance(Duration.ofSeconds(31));
    snapshots.records(ZONE, list);
    assertEquals(2, listings.get(), "older than 30 s: listed again");
  }

  @Test
  void whatTheOperatorWroteItselfIsNewerThanTheListing() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofMinutes(5));
    snapshots.records(ZONE, onePage(record("reg1", "10.1.0.4")));

    snapshots.update(ZONE, "Reg1.westus.data", List.of("10.1.0.9"));

    assertEquals(
        List.of("10.1.0.9"),
        snapshots.records(ZONE, onePage()).get("reg1.westus.data"),
        "seen without listing again");
  }

  static ZoneSnapshots.Pages onePage(RecordSet... records) {
    return next -> new DnsPort.RecordPage(List.of(records), null);
  }

  /** Every page held back by the budget. */
  static final ZoneSnapshots.Pages HELD_BACK =
      next -> {
        throw queued();
      };

  static AzureFailure queued() {
    return new AzureFailure(
        AzureFailure.Kind.THROTTLED,
        429,
        ArmBudget.QUEUED,
        "the read budget is committed",
        Duration.ofSeconds(1));
  }

  /** Three pages; the second is held back by the budget once. */
  @Test
  void aListingHeldBackGoesOnFromItsPageAndTheLastServesMeanwhile() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofSeconds(30));
    snapshots.records(ZONE, onePage(record("old", "10.1.0.1")));
    clock.advance(Duration.ofSeconds(31));

    List<String> asked = new ArrayList<>();
    AtomicInteger refusals = new AtomicInteger(1);
    ZoneSnapshots.Pages pages =
        next -> {
          asked.add(String.valueOf(next));
          if ("p2".equals(next) && refusals.getAndDecrement() > 0) {
            throw queued();
          }
          return switch (String.valueOf(next)) {
            case "null" -> new DnsPort.RecordPage(List.of(record("a", "10.1.0.2")), "p2");
            case "p2" -> new DnsPort.RecordPage(List.of(record("b", "10.1.0.3")), "p3");
            default -> new DnsPort.RecordPage(List.of(record("c", "10.1.0.4")), null);
          };
        };

    var meanwhile = snapshots.records(ZONE, pages);
    assertEquals(List.of("10.1.0.1"), meanwhile.get("old"), "the last listing, 31 s old, serves");

    var listed = snapshots.records(ZONE, pages);
    assertEquals(List.of("null", "p2", "p2", "p3"), asked, "went on from the page held back");
    assertEquals(Set.of("a", "b", "c"), listed.keySet());
  }

  @Test
  void withoutAListingRecentEnoughAHeldBackPageIsTheStoresWait() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofSeconds(30));
    assertThrows(AzureFailure.class, () -> snapshots.records(ZONE, HELD_BACK));
    snapshots.records(ZONE, onePage(record("old", "10.1.0.1")));
    clock.advance(Duration.ofSeconds(61));
    assertThrows(
        AzureFailure.class,
        () -> snapshots.records(ZONE, HELD_BACK),
        "twice the maximum age is as old as a listing may serve");
  }
}
