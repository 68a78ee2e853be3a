package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Shared, paged listings of Azure resources (the registries of a resource group, the endpoints of a
 * resource group, the records of a zone), each listed at most once per {@code maxAge} and shared by
 * every store that acts with the same identity on the same scope: one paged read observes a hundred
 * stores, where a read per store would spend the budget on what has not changed. A listing only
 * ever tells a store that all is as it should be, or that it may have to act; a store reads the
 * resource itself before it writes, unless the listing is as fresh as a read.
 *
 * <p>A single flight per listing: one store lists while the others wait for its answer, so a scope
 * is listed once however many stores resync together. No lock is held while the pages are read;
 * stores of other scopes never wait.
 *
 * @param <T> what a listing holds of each resource, by lower-case name
 */
final class Listings<T> {
  /**
   * How often a listing may begin for stores waiting for what they wrote to finish: each waits at
   * most this long for one, and a build pays one listing per interval, not a read per store.
   */
  static final Duration SETTLE_EVERY = Duration.ofSeconds(10);

  /** The longest a store waits for another store's listing. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Snapshot<T>> listings = new ConcurrentHashMap<>();

  /** Per listing, per lower-case name: the stores that found that resource in order in it. */
  private final Map<String, Map<String, Set<ResourceID>>> watches = new ConcurrentHashMap<>();

  /** Per store, what it watches (listing and name), so a store that goes leaves without a scan. */
  private final Map<ResourceID, Set<Map.Entry<String, String>>> watchedBy =
      new ConcurrentHashMap<>();

  /** Reconciles a store at once; set by the runtime, none in step tests. */
  private volatile Consumer<ResourceID> wake = store -> {};

  /** What {@link #watch} calls when a listing shows a watched resource changed or gone. */
  void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /**
   * {@code store} found resource {@code name} in order in listing {@code key}: the next listing
   * that shows it changed or gone reconciles the store at once, rather than at its next resync, so
   * drift seen by any store's listing is repaired then. A watch wakes its store once.
   */
  void watch(String key, String name, ResourceID store) {
    String listing = key.toLowerCase(Locale.ROOT);
    String resource = name.toLowerCase(Locale.ROOT);
    watches
        .computeIfAbsent(listing, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(resource, n -> ConcurrentHashMap.newKeySet())
        .add(store);
    watchedBy
        .computeIfAbsent(store, s -> ConcurrentHashMap.newKeySet())
        .add(Map.entry(listing, resource));
  }

  /** The store is gone: it watches nothing any more. */
  void unwatch(ResourceID store) {
    Set<Map.Entry<String, String>> watched = watchedBy.remove(store);
    if (watched == null) {
      return;
    }
    for (Map.Entry<String, String> w : watched) {
      Map<String, Set<ResourceID>> names = watches.get(w.getKey());
      Set<ResourceID> stores = names == null ? null : names.get(w.getValue());
      if (stores != null) {
        stores.remove(store);
      }
    }
  }

  /** Wakes the stores watching what differs between two listings of {@code key}. */
  private void wakeOnChanges(String key, Map<String, T> before, Map<String, T> after) {
    Map<String, Set<ResourceID>> names = watches.get(key);
    if (names == null) {
      return;
    }
    for (var watched : names.entrySet()) {
      if (!Objects.equals(before.get(watched.getKey()), after.get(watched.getKey()))) {
        Set<ResourceID> stores = names.remove(watched.getKey());
        if (stores != null) {
          stores.forEach(wake);
        }
      }
    }
  }

  /** One page: items by name, and where the listing goes on (null after the last page). */
  record Page<T>(Map<String, T> items, String next) {}

  /** Reads one page of a listing: the first when {@code continuation} is null. */
  interface Pages<T> {
    Page<T> page(String continuation);
  }

  /** A listing's items by lower-case name, and when the listing began. */
  record Listed<T>(Map<String, T> items, Instant fetched) {
    T get(String name) {
      return items.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final class Snapshot<T> {
    Map<String, T> items = Map.of();
    Instant fetched;
    // A listing under way: what its pages gave so far, where it goes on, when it began.
    Map<String, T> partial;
    String next;
    Instant began;
    // The listing in flight: its answer is every waiting store's answer.
    CompletableFuture<Listed<T>> flight;
  }

  Listings(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** The listing {@code key}, listed with {@code pages} if the last one is older than maxAge. */
  Listed<T> list(String key, Pages<T> pages) {
    return list(key, maxAge, pages);
  }

  /**
   * The listing {@code key}, listed page by page with {@code pages} if the last listing is older
   * than {@code age}.
   *
   * <p>When the ARM budget holds a page back, the listing goes on from that page next time rather
   * than from the first, and meanwhile the last listing serves for up to twice the maximum age: a
   * listing of many pages still completes when reads are scarce, and stores waiting for it do not
   * read their resources over and over.
   */
  Listed<T> list(String key, Duration age, Pages<T> pages) {
    Snapshot<T> snapshot =
        listings.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new Snapshot<>());
    CompletableFuture<Listed<T>> flight;
    Instant now = clock.instant();
    synchronized (snapshot) {
      if (snapshot.fetched != null && !snapshot.fetched.plus(age).isBefore(now)) {
        return new Listed<>(snapshot.items, snapshot.fetched);
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
    Map<String, T> before = snapshot.fetched == null ? null : snapshot.items;
    Listed<T> listed = list(snapshot, pages, now);
    if (before != null) {
      wakeOnChanges(key.toLowerCase(Locale.ROOT), before, listed.items());
    }
    return listed;
  }

  /** A listing that began after a given moment, or how long until the next may begin. */
  record Settled<T>(Listed<T> listed, Duration after) {}

  /**
   * For a store that wrote something at {@code since} and waits for Azure to finish it: the last
   * listing if it began after {@code since}; a new one if the last began {@code interval} ago or
   * more; otherwise no listing, and how long until the next may begin. One listing per interval
   * answers every store that wrote before it began, where each would read its own resource.
   */
  Settled<T> after(String key, Instant since, Duration interval, Pages<T> pages) {
    Snapshot<T> snapshot =
        listings.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new Snapshot<>());
    Instant now = clock.instant();
    synchronized (snapshot) {
      if (snapshot.fetched != null && !snapshot.fetched.isBefore(since)) {
        return new Settled<>(new Listed<>(snapshot.items, snapshot.fetched), Duration.ZERO);
      }
      // A listing in flight that began after since is waited for; an older one counts as the last.
      Instant last = snapshot.flight != null ? snapshot.began : snapshot.fetched;
      if (last != null && last.isBefore(since) && last.plus(interval).isAfter(now)) {
        return new Settled<>(null, Duration.between(now, last.plus(interval)));
      }
    }
    Listed<T> listed = list(key, Duration.ZERO, pages);
    return listed.fetched().isBefore(since)
        ? new Settled<>(null, interval)
        : new Settled<>(listed, Duration.ZERO);
  }

  /** Lists the pages for every store waiting; only the flight's owner touches them. */
  private Listed<T> list(Snapshot<T> snapshot, Pages<T> pages, Instant now) {
    try {
      do {
        Page<T> page = pages.page(snapshot.next);
        page.items()
            .forEach((name, item) -> snapshot.partial.put(name.toLowerCase(Locale.ROOT), item));
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
        CompletableFuture<Listed<T>> flight = snapshot.flight;
        snapshot.flight = null;
        if (stale) {
          Listed<T> last = new Listed<>(snapshot.items, snapshot.fetched);
          flight.complete(last);
          return last;
        }
        flight.completeExceptionally(failure);
        throw failure;
      }
    }
    synchronized (snapshot) {
      snapshot.items = snapshot.partial;
      snapshot.fetched = snapshot.began;
      snapshot.partial = null;
      Listed<T> answer = new Listed<>(snapshot.items, snapshot.fetched);
      snapshot.flight.complete(answer);
      snapshot.flight = null;
      return answer;
    }
  }

  /**
   * Waits for the store that lists, at most {@link #WAIT}: a listing that hangs must not hold every
   * reconcile thread.
   */
  private static <T> Listed<T> await(CompletableFuture<Listed<T>> flight) {
    try {
      return flight.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new AzureFailure(
          AzureFailure.Kind.TRANSIENT,
          504,
          "ListingTimedOut",
          "a shared listing did not answer within " + WAIT.toSeconds() + " s",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What the operator just read or wrote itself is newer than the listing: {@code item} replaces
   * the listed one, or, when null, the resource is gone.
   */
  void update(String key, String name, T item) {
    Snapshot<T> snapshot = listings.get(key.toLowerCase(Locale.ROOT));
    if (snapshot != null) {
      synchronized (snapshot) {
        if (snapshot.fetched != null) {
          if (item == null) {
            snapshot.items.remove(name.toLowerCase(Locale.ROOT));
          } else {
            snapshot.items.put(name.toLowerCase(Locale.ROOT), item);
          }
        }
      }
    }
  }
}
