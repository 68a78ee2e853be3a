package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ZoneSnapshotsTest {
  static final String ZONE =
      "/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io";

  Instant now = Instant.parse("2026-11-30T00:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** A record set as ARM lists it. */
  static RecordSetInner record(String name, String ip) {
    String json =
        "{\"name\":\""
            + name
            + "\",\"type\":\"Microsoft.Network/privateDnsZones/A\",\"properties\":{\"ttl\":10,"
            + "\"aRecords\":[{\"ipv4Address\":\""
            + ip
            + "\"}]}}";
    try (var reader = com.azure.json.JsonProviders.createReader(json)) {
      return RecordSetInner.fromJson(reader);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void manyStoresShareOneListingUntilItIsOlderThanTheMaximumAge() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofSeconds(30));
    AtomicInteger listings = new AtomicInteger();
    var list =
        (java.util.function.Supplier<List<RecordSetInner>>)
            () -> {
              listings.incrementAndGet();
              return List.of(record("reg1", "10.1.0.4"), record("REG2", "10.1.0.5"));
            };

    for (int store = 0; store < 100; store++) {
      assertEquals(List.of("10.1.0.4"), snapshots.records(ZONE, list).get("reg1"));
    }
    assertEquals(1, listings.get(), "a hundred stores, one listing");
    assertEquals(List.of("10.1.0.5"), snapshots.records(ZONE.toUpperCase(), list).get("reg2"));

    now = now.plusSeconds(31);
    snapshots.records(ZONE, list);
    assertEquals(2, listings.get(), "older than 30 s: listed again");
  }

  @Test
  void whatTheOperatorWroteItselfIsNewerThanTheListing() {
    ZoneSnapshots snapshots = new ZoneSnapshots(clock, Duration.ofMinutes(5));
    snapshots.records(ZONE, () -> List.of(record("reg1", "10.1.0.4")));

    snapshots.update(ZONE, "Reg1.westus.data", List.of("10.1.0.9"));

    assertEquals(
        List.of("10.1.0.9"),
        snapshots.records(ZONE, () -> List.of()).get("reg1.westus.data"),
        "seen without listing again");
  }
}
