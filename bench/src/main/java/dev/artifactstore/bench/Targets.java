package dev.artifactstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The performance targets, each with what a run measured and whether it met it. */
final class Targets {
  private static final long MIB = 1 << 20;

  private Targets() {}

  /** {@code r} with its checks. */
  static Result checked(Result r) {
    List<Result.Check> checks = new ArrayList<>();
    long throttled =
        r.arm().throttled429() + (r.steadyState() == null ? 0 : r.steadyState().throttled429());
    checks.add(new Result.Check("0 x 429 received", throttled + " x 429", throttled == 0));
    if (r.floors().throttleFloorMs() > 0) {
      checks.add(
          new Result.Check(
              "all Ready <= 1.2 x throttle floor",
              String.format(
                  Locale.ROOT,
                  "%.1f s = %.2f x %.1f s",
                  r.timings().allReadyMs() / 1000.0,
                  r.ratios().allReadyOverThrottleFloor(),
                  r.floors().throttleFloorMs() / 1000.0),
              r.ratios().allReadyOverThrottleFloor() <= 1.2));
    }
    if (r.setup().stores() == 1 && r.floors().criticalPathMs() > 0) {
      double limit = 1.1 * r.floors().criticalPathMs() + 1000;
      checks.add(
          new Result.Check(
              "time to Ready <= 1.1 x critical path + 1 s",
              String.format(
                  Locale.ROOT,
                  "%.1f s (limit %.1f s, critical path %.1f s)",
                  r.timings().maxMs() / 1000.0,
                  limit / 1000.0,
                  r.floors().criticalPathMs() / 1000.0),
              r.timings().maxMs() <= limit));
    }
    if (r.steadyState() != null) {
      steadyState(r.steadyState(), checks);
    }
    if (r.seeded() != null) {
      seeded(r, checks);
    }
    process(r.operator(), r.timings(), r.seeded() == null, checks);
    if (r.subscriptions().size() > 1) {
      for (Result.Subscription s : r.subscriptions()) {
        subscription(s, checks);
      }
    }
    return new Result(
        r.date(),
        r.machine(),
        r.setup(),
        r.timings(),
        r.arm(),
        r.steadyState(),
        r.operator(),
        r.floors(),
        r.ratios(),
        checks,
        r.series(),
        r.subscriptions(),
        r.seeded());
  }

  /** A built fleet: nothing to write, every store resynced once a period, a small live heap. */
  private static void seeded(Result r, List<Result.Check> checks) {
    Result.Seeded s = r.seeded();
    long written = r.arm().writes() + r.arm().deletes();
    checks.add(
        new Result.Check(
            "seeded fleet: 0 ARM writes or deletes until all Ready",
            Long.toString(written),
            written == 0));
    checks.add(
        new Result.Check(
            "seeded fleet: resyncs keep their period (>= 0.95 per store per period)",
            String.format(Locale.ROOT, "%.3f", s.resyncsPerStorePerPeriod()),
            s.resyncsPerStorePerPeriod() >= 0.95));
    checks.add(
        new Result.Check(
            "seeded fleet: live heap after a full GC <= 256 MiB",
            (s.liveHeapBytes() / MIB) + " MiB",
            s.liveHeapBytes() > 0 && s.liveHeapBytes() <= 256 * MIB));
  }

  /** Each subscription at its own floor: none waits for another's budget, queue or threads. */
  private static void subscription(Result.Subscription s, List<Result.Check> checks) {
    if (s.requestLatencyMs() > 0) {
      // The slow subscription is what the others must not wait for; it is not measured itself.
      return;
    }
    if (s.allReadyMs() < 0) {
      checks.add(
          new Result.Check(
              "subscription " + s.id() + ": all Ready",
              s.ready() + " of " + s.stores() + " Ready",
              false));
    }
    if (s.allReadyOverThrottleFloor() != null) {
      checks.add(
          new Result.Check(
              "subscription " + s.id() + ": all Ready <= 1.1 x its own throttle floor",
              String.format(
                  Locale.ROOT,
                  "%.1f s = %.2f x %.1f s",
                  s.allReadyMs() / 1000.0,
                  s.allReadyOverThrottleFloor(),
                  s.throttleFloorMs() / 1000.0),
              s.allReadyOverThrottleFloor() <= 1.1));
    }
    checks.add(
        new Result.Check(
            "subscription " + s.id() + ": 0 x 429",
            s.throttled429() + " x 429",
            s.throttled429() == 0));
  }

  private static void steadyState(Result.SteadyState s, List<Result.Check> checks) {
    checks.add(
        new Result.Check(
            "steady state <= 4 ARM reads per store per resync",
            String.format(
                Locale.ROOT,
                "%.2f (%d reads, %d resyncs)",
                s.readsPerStorePerResync(),
                s.reads(),
                s.resyncs()),
            s.resyncs() > 0
                && s.readsPerStorePerResync() != null
                && s.readsPerStorePerResync() <= 4));
    checks.add(
        new Result.Check("steady state 0 ARM writes", Long.toString(s.writes()), s.writes() == 0));
    checks.add(
        new Result.Check(
            "steady state 0 status writes",
            Long.toString(s.statusWrites()),
            s.statusWrites() == 0));
  }

  /**
   * @param heapUsed whether to check the heap in use at its highest: a seeded run checks the live
   *     heap instead, measured with a larger heap so that the figure can fail
   */
  private static void process(
      Result.Operator o, Result.Timings t, boolean heapUsed, List<Result.Check> checks) {
    if (heapUsed) {
      checks.add(
          new Result.Check(
              "heap <= 256 MiB",
              (o.maxHeapUsedBytes() / MIB) + " MiB",
              o.maxHeapUsedBytes() > 0 && o.maxHeapUsedBytes() <= 256 * MIB));
    }
    long rss = Math.max(o.maxRssBytes(), o.peakRssBytes());
    checks.add(
        new Result.Check("RSS <= 512 MiB", (rss / MIB) + " MiB", rss > 0 && rss <= 512 * MIB));
    checks.add(
        new Result.Check(
            "start to first reconcile <= 3 s",
            String.format(Locale.ROOT, "%.2f s", t.startToFirstReconcileMs() / 1000.0),
            t.startToFirstReconcileMs() <= 3000));
  }
}
