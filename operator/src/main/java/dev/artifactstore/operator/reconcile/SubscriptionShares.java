package dev.artifactstore.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The reconcile threads, shared fairly between subscriptions. ARM calls block the thread that makes
 * them, so a subscription whose ARM answers take tens of seconds would otherwise soon hold every
 * thread, and stores of other subscriptions, with budgets of their own, would wait for it. While
 * several subscriptions have stores at work, each runs at most its share of the threads at once; a
 * store turned away waits in its subscription's queue, reading and writing nothing, and is
 * reconciled as soon as a run of its subscription ends. A subscription alone has every thread but
 * one: a run cannot be taken back once it waits on ARM, so one thread is always left for a store of
 * another subscription that comes along.
 */
final class SubscriptionShares {
  /** How long a subscription counts as at work after its last run began. */
  static final Duration ACTIVE = Duration.ofSeconds(60);

  private final int threads;
  private final Clock clock;
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, Instant> lastRun = new HashMap<>();
  private final Map<String, LinkedHashSet<ResourceID>> waiting = new HashMap<>();
  private volatile Consumer<ResourceID> wake = store -> {};

  SubscriptionShares(int threads, Clock clock) {
    this.threads = Math.max(1, threads);
    this.clock = clock;
  }

  /** Every store may always run: no sharing (tests of steps, one thread per store). */
  static SubscriptionShares unlimited(Clock clock) {
    return new SubscriptionShares(Integer.MAX_VALUE, clock);
  }

  /** Reconciles a waiting store; set by the runtime, none in step tests. */
  void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /**
   * Whether {@code store} may run now; if so, {@link #leave} must follow. Otherwise it waits in its
   * subscription's queue until a run of that subscription ends.
   */
  synchronized boolean enter(String subscription, ResourceID store) {
    if (subscription.isEmpty()) {
      // A spec that names no subscription makes no ARM call: it is not counted.
      return true;
    }
    String key = subscription.toLowerCase(Locale.ROOT);
    Instant now = clock.instant();
    lastRun.put(key, now);
    if (running.getOrDefault(key, 0) >= share(now)) {
      waiting.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(store);
      return false;
    }
    LinkedHashSet<ResourceID> queue = waiting.get(key);
    if (queue != null) {
      queue.remove(store);
    }
    running.merge(key, 1, Integer::sum);
    return true;
  }

  /** A run of {@code subscription} ended: the first store waiting for that subscription goes. */
  void leave(String subscription) {
    if (subscription.isEmpty()) {
      return;
    }
    String key = subscription.toLowerCase(Locale.ROOT);
    ResourceID next = null;
    synchronized (this) {
      running.merge(key, -1, Integer::sum);
      if (running.get(key) <= 0) {
        running.remove(key);
      }
      LinkedHashSet<ResourceID> queue = waiting.get(key);
      if (queue != null && !queue.isEmpty()) {
        next = queue.iterator().next();
        queue.remove(next);
      }
    }
    if (next != null) {
      wake.accept(next);
    }
  }

  /** The store is gone: it no longer waits. */
  synchronized void forget(String subscription, ResourceID store) {
    LinkedHashSet<ResourceID> queue = waiting.get(subscription.toLowerCase(Locale.ROOT));
    if (queue != null) {
      queue.remove(store);
    }
  }

  /**
   * Threads per subscription: all of them, divided by the subscriptions at work (one run began
   * within {@link #ACTIVE}, runs now, or has stores waiting); all but one for a subscription alone.
   */
  private int share(Instant now) {
    if (threads == Integer.MAX_VALUE) {
      return threads;
    }
    lastRun.values().removeIf(at -> at.plus(ACTIVE).isBefore(now));
    Set<String> active = new HashSet<>(lastRun.keySet());
    active.addAll(running.keySet());
    waiting.forEach(
        (key, queue) -> {
          if (!queue.isEmpty()) {
            active.add(key);
          }
        });
    return Math.max(1, active.size() <= 1 ? threads - 1 : threads / active.size());
  }
}
