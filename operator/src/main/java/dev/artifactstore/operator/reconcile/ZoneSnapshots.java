package dev.artifactstore.operator.reconcile;

import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.privatedns.models.ARecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The A records of each private DNS zone, listed at most once per {@code maxAge} and shared by
 * every store whose endpoints use the zone: one paged read observes the records of a hundred
 * stores, where a read per store and record would spend the budget on what has not changed. A
 * snapshot only ever tells a store that it may have to act; the store reads the record itself
 * before writing it.
 */
final class ZoneSnapshots {
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Snapshot> zones = new ConcurrentHashMap<>();

  private static final class Snapshot {
    Map<String, List<String>> records = Map.of();
    Instant fetched;
  }

  ZoneSnapshots(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * Record name (lower case) -> sorted addresses in the zone, listed with {@code list} if the last
   * listing is older than the maximum age. One store lists while the others of the zone wait for
   * it, so the zone is listed once however many stores resync together.
   */
  Map<String, List<String>> records(String zone, Supplier<List<RecordSetInner>> list) {
    Snapshot snapshot = zones.computeIfAbsent(zone.toLowerCase(Locale.ROOT), k -> new Snapshot());
    synchronized (snapshot) {
      Instant now = clock.instant();
      if (snapshot.fetched == null || snapshot.fetched.plus(maxAge).isBefore(now)) {
        Map<String, List<String>> records = new ConcurrentHashMap<>();
        for (RecordSetInner record : list.get()) {
          records.put(record.name().toLowerCase(Locale.ROOT), addresses(record));
        }
        snapshot.records = records;
        snapshot.fetched = now;
      }
      return snapshot.records;
    }
  }

  /** What the operator just read or wrote itself is newer than the listing. */
  void update(String zone, String name, List<String> addresses) {
    Snapshot snapshot = zones.get(zone.toLowerCase(Locale.ROOT));
    if (snapshot != null) {
      synchronized (snapshot) {
        if (snapshot.fetched != null) {
          snapshot.records.put(name.toLowerCase(Locale.ROOT), List.copyOf(addresses));
        }
      }
    }
  }

  static List<String> addresses(RecordSetInner record) {
    return record == null || record.aRecords() == null
        ? List.of()
        : record.aRecords().stream().map(ARecord::ipv4Address).sorted().toList();
  }
}
