package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.RecordSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
    return listings.list(zone, pages(pages)).items();
  }

  /**
   * The zone's records as a listing that began after {@code since} shows them, for a store waiting
   * for Azure to write records it asked for (see {@link Listings#after}); null records, and how
   * long until the next listing may begin, when there is none yet.
   */
  Listings.Settled<List<String>> after(String zone, Instant since, Duration interval, Pages pages) {
    return listings.after(zone, since, interval, pages(pages));
  }

  private static Listings.Pages<List<String>> pages(Pages pages) {
    return continuation -> {
      DnsPort.RecordPage page = pages.page(continuation);
      Map<String, List<String>> items = new LinkedHashMap<>();
      for (RecordSet record : page.records()) {
        items.put(record.name(), record.addresses());
      }
      return new Listings.Page<>(items, page.next());
    };
  }

  /**
   * The store found record {@code name} right in the zone's listing (see {@link Listings#watch}).
   */
  void watch(String zone, String name, ResourceID store) {
    listings.watch(zone, name, store);
  }

  void unwatch(ResourceID store) {
    listings.unwatch(store);
  }

  void wakeWith(Consumer<ResourceID> wake) {
    listings.wakeWith(wake);
  }

  /** What the operator just read or wrote itself is newer than the listing. */
  void update(String zone, String name, List<String> addresses) {
    listings.update(zone, name, List.copyOf(addresses));
  }
}
