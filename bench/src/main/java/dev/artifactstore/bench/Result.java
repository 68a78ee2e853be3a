package dev.artifactstore.bench;

import java.util.List;
import java.util.Map;

/** One benchmark run, as written to bench/results/DATE-N.json. Times in milliseconds. */
public record Result(
    String date,
    Machine machine,
    Setup setup,
    Timings timings,
    Arm arm,
    SteadyState steadyState,
    Operator operator,
    Floors floors,
    Ratios ratios,
    List<Check> checks,
    Series series,
    List<Subscription> subscriptions,
    Seeded seeded) {

  /** Results written before runs spread over subscriptions have none. */
  public Result {
    subscriptions = subscriptions == null ? List.of() : subscriptions;
  }

  /**
   * A run on a fleet seeded as built (null otherwise): how often each store was resynced against
   * the period, and what the operator holds once it watches them all: the bytes reachable after a
   * full collection, and its resident memory then.
   */
  public record Seeded(double resyncsPerStorePerPeriod, long liveHeapBytes, long rssBytes) {}

  /**
   * One subscription's stores (of a run over several): when all were Ready, from the operator's
   * first ARM request, against the throttle floor of that subscription's writes alone; how late ARM
   * answered its requests (the slow subscription's stores are not waited for, so {@code ready} may
   * be below {@code stores} and {@code allReadyMs} is then -1).
   */
  public record Subscription(
      String id,
      int stores,
      int writesNeeded,
      long throttleFloorMs,
      long allReadyMs,
      Double allReadyOverThrottleFloor,
      long throttled429,
      long requestLatencyMs,
      int ready) {}

  /** Where it ran. */
  public record Machine(
      int cores, long memoryBytes, String os, String jvm, List<String> operatorJvmOptions) {}

  /** What ran. */
  public record Setup(
      int stores,
      String mix,
      Map<String, Integer> storesByKind,
      String latencyProfile,
      double timeScale,
      long resyncMs,
      int concurrency,
      boolean armThrottling,
      boolean durableSimulator) {}

  /** From the operator's first ARM request unless said otherwise. */
  public record Timings(
      long startToFirstReconcileMs,
      long allReadyMs,
      long allReadyFromProcessStartMs,
      long mockApiListMs,
      long startToFirstStoreWriteMs,
      long p50Ms,
      long p95Ms,
      long maxMs,
      int ready,
      int stores) {}

  /** ARM requests while the stores were being built (first request until all Ready). */
  public record Arm(
      Map<String, Long> requestsByKind,
      Map<String, Double> requestsByKindPerStore,
      long reads,
      long writes,
      long deletes,
      long throttled429,
      double readsPerStore,
      long readsOfReadyStores,
      double readsPerStoreBeforeReady,
      double writesPerStore,
      double readBudgetShare,
      double writeBudgetShare) {}

  /** After every store was Ready: what resyncs cost. */
  public record SteadyState(
      long windowMs,
      long resyncs,
      long reads,
      long writes,
      long statusWrites,
      long throttled429,
      Double readsPerStorePerResync,
      Map<String, Long> readsByKind) {}

  /** The operator process. */
  public record Operator(
      double cpuSeconds,
      double cpuSecondsWhileBuilding,
      long maxHeapUsedBytes,
      long maxRssBytes,
      long peakRssBytes) {}

  /** measured / floor; null where the floor is zero. */
  public record Ratios(Double allReadyOverThrottleFloor, Double maxTimeToReadyOverCriticalPath) {}

  /** One target of the run, measured. */
  public record Check(String target, String measured, boolean met) {}

  /** Per second since the first ARM request: reads, writes and 429s; and time-to-Ready CDF. */
  public record Series(
      List<Long> readsPerSecond,
      List<Long> writesPerSecond,
      List<Long> throttledPerSecond,
      List<Long> readyMs) {}
}
