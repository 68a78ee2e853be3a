package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.RecordSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The A records of each private DNS zone, listed at most once per {@code maxAge} and shared by
 * every store whose endpoints use the zone: one paged read observes the records of a hundred
 * stores, where a read per store and record would spend the budget on what has not changed. A
 * snapshot only ever tells a store that it may have to act; the store reads the record itself
 * before writing it.
 *
 * <p>A single flight per zone: one store lists while the others of the zone wait for its answer, so
 * the zone is listed once however many stores resync together. No lock is held while the pages are
 * read; stores of other zones never wait.
 */
final class ZoneSnapshots {
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Snapshot> zones = new ConcurrentHashMap<>();

  private static final class Snapshot {
    Map<String, List<String>> records = Map.of();
    Instant fetched;
    // A listing under way: what its pages gave so far, where it goes on, when it began.
    Map<String, List<String>> partial;
    String next;
    Instant began;
    // The listing in flight: its answer is every waiting store's answer.
    CompletableFuture<Map<String, List<String>>> flight;
  }

  /** Reads one page of a zone's A records: the first when {@code continuation} is null. */
  interface Pages {
    DnsPort.RecordPage page(String continuation);
  }

  ZoneSnapshots(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * Record name (lower case) -> sorted addresses in the zone, listed page by page with {@code
   * pages} if the last listing is older than the maximum age.
   *
   * <p>When the ARM budget holds a page back, the listing goes on from that page next time rather
   * than from the first, and meanwhile the last listing serves for up to twice its maximum age: a
   * listing of many pages still completes when reads are scarce, and stores waiting for it do not
   * read their endpoints over and over.
   */
  Map<String, List<String>> records(String zone, Pages pages) {
    Snapshot snapshot = zones.computeIfAbsent(zone.toLowerCase(Locale.ROOT), k -> new Snapshot());
    CompletableFuture<Map<String, List<String>>> flight;
    Instant now = clock.instant();
    synchronized (snapshot) {
      if (snapshot.fetched != null && !snapshot.fetched.plus(maxAge).isBefore(now)) {
        return snapshot.records;
      }
      if (snapshot.flight != null) {
        flight = snapshot.flight;
      } else {
        snapshot.flight = new CompletableFuture<>();
        flight = null;
        if (snapshot.partial == null || snapshot.began.plus(maxAge).isBefore(now)) {
          snapshot.partial = new ConcurrentHashMap<>();
          snapshot.next = null;
          snapshot.began = now;
        }
      }
    }
    if (flight != null) {
      return await(flight);
    }
    return list(snapshot, pages, now);
  }

  /** Lists the zone's pages for every store waiting; only the flight's owner touches them. */
  private Map<String, List<String>> list(Snapshot snapshot, Pages pages, Instant now) {
    Map<String, List<String>> answer;
    try {
      do {
        DnsPort.RecordPage page = pages.page(snapshot.next);
        for (RecordSet record : page.records()) {
          snapshot.partial.put(record.name().toLowerCase(Locale.ROOT), record.addresses());
        }
        snapshot.next = page.next();
      } while (snapshot.next != null);
    } catch (RuntimeException failure) {
      boolean throttled =
          failure instanceof AzureFailure f && f.kind() == AzureFailure.Kind.THROTTLED;
      synchronized (snapshot) {
        if (!throttled) {
          snapshot.partial = null;
        }
        boolean stale =
            throttled
                && snapshot.fetched != null
                && !snapshot.fetched.plus(maxAge.multipliedBy(2)).isBefore(now);
        CompletableFuture<Map<String, List<String>>> flight = snapshot.flight;
        snapshot.flight = null;
        if (stale) {
          flight.complete(snapshot.records);
          return snapshot.records;
        }
        flight.completeExceptionally(failure);
        throw failure;
      }
    }
    synchronized (snapshot) {
      snapshot.records = snapshot.partial;
      snapshot.fetched = snapshot.began;
      snapshot.partial = null;
      answer = snapshot.records;
      snapshot.flight.complete(answer);
      snapshot.flight = null;
    }
    return answer;
  }

  private static Map<String, List<String>> await(
      CompletableFuture<Map<String, List<String>>> flight) {
    try {
      return flight.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
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
}
