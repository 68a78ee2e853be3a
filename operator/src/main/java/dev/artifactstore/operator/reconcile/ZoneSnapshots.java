package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.RecordSet;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The A records of each private DNS zone, listed at most once per {@code maxAge} and shared by
 * every store whose endpoints use the zone: one paged read observes the records of a hundred
 * stores, where a read per store and record would spend the budget on what has not changed. A
 * snapshot only ever tells a store that it may have to act; the store reads the record itself
 * before writing it.
 */
final class ZoneSnapshots {
  private final Listings<List<String>> listings;

  /** Reads one page of a zone's A records: the first when {@code continuation} is null. */
  interface Pages {
    DnsPort.RecordPage page(String continuation);
  }

  ZoneSnapshots(Clock clock, Duration maxAge) {
    this.listings = new Listings<>(clock, maxAge);
  }

  /**
   * Record name (lower case) -> sorted addresses in the zone, listed page by page with {@code
   * pages} if the last listing is older than the maximum age (see {@link Listings}).
   */
  Map<String, List<String>> records(String zone, Pages pages) {
    return listings
        .list(
            zone,
            continuation -> {
              DnsPort.RecordPage page = pages.page(continuation);
              Map<String, List<String>> items = new LinkedHashMap<>();
              for (RecordSet record : page.records()) {
                items.put(record.name(), record.addresses());
              }
              return new Listings.Page<>(items, page.next());
            })
        .items();
  }

  /** What the operator just read or wrote itself is newer than the listing. */
  void update(String zone, String name, List<String> addresses) {
    listings.update(zone, name, List.copyOf(addresses));
  }
}
