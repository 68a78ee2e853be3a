package dev.artifactstore.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Each store's time to Ready, counted from the operator's first ARM request (its start-up is timed
 * apart), and the run's times against its floors.
 */
final class ReadyTimes {
  private final StoreWatch stores;
  private final Instant spawned;
  private final Instant firstArm;
  private final Instant allReady;
  private final List<Long> readyMs;
  private final long allReadyMs;

  ReadyTimes(StoreWatch stores, Instant spawned, Instant firstArm) {
    this.stores = stores;
    this.spawned = spawned;
    this.firstArm = firstArm;
    this.allReady = stores.allReady();
    this.readyMs =
        stores.readyAt().values().stream()
            .map(t -> Duration.between(firstArm, t).toMillis())
            .sorted()
            .toList();
    this.allReadyMs = Duration.between(firstArm, allReady).toMillis();
  }

  /** Sorted. */
  List<Long> readyMs() {
    return readyMs;
  }

  /** From the first ARM request until all were Ready; never zero, as budgets are divided by it. */
  Duration building() {
    return Duration.ofMillis(Math.max(1, allReadyMs));
  }

  Result.Timings timings(long apiListMs, int n) {
    Instant firstWrite = stores.firstWrite();
    return new Result.Timings(
        Duration.between(spawned, firstArm).toMillis(),
        allReadyMs,
        Duration.between(spawned, allReady).toMillis(),
        apiListMs,
        firstWrite == null ? -1 : Duration.between(spawned, firstWrite).toMillis(),
        percentile(readyMs, 0.50),
        percentile(readyMs, 0.95),
        max(),
        stores.ready(),
        n);
  }

  Result.Ratios ratios(Floors floors) {
    return new Result.Ratios(
        floors.throttleFloorMs() > 0 ? allReadyMs / (double) floors.throttleFloorMs() : null,
        floors.criticalPathMs() > 0 ? max() / (double) floors.criticalPathMs() : null);
  }

  private long max() {
    return readyMs.get(readyMs.size() - 1);
  }

  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
