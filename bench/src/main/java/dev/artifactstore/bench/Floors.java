package dev.artifactstore.bench;

import dev.artifactstore.simulator.arm.LatencyProfile;
import java.time.Duration;
import java.util.List;

/**
 * What no operator could beat in a run: one store cannot be Ready before its long-running
 * operations have run one after the other (the critical path), and N stores cannot be Ready before
 * ARM has accepted the writes they need, which past the burst come at the refill rate (the throttle
 * floor).
 */
public record Floors(long criticalPathMs, int writesNeeded, long throttleFloorMs) {
  public static final int WRITE_BURST = 200;
  public static final double WRITES_PER_SECOND = 10;
  public static final int READ_BURST = 250;
  public static final double READS_PER_SECOND = 25;

  public static Floors of(List<StoreMix.Type> stores, LatencyProfile profile) {
    return of(stores, profile, 1);
  }

  /**
   * Stores spread over {@code subscriptions} (store i in subscription i mod N): each subscription
   * has a budget of its own, so the throttle floor is the slowest subscription's.
   */
  public static Floors of(List<StoreMix.Type> stores, LatencyProfile profile, int subscriptions) {
    Duration critical =
        stores.stream()
            .distinct()
            .map(t -> t.criticalPath(profile))
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    int[] perSubscription = new int[subscriptions];
    for (int i = 0; i < stores.size(); i++) {
      perSubscription[i % subscriptions] += stores.get(i).writes();
    }
    int writes = stores.stream().mapToInt(StoreMix.Type::writes).sum();
    long floor = 0;
    for (int w : perSubscription) {
      floor = Math.max(floor, throttleFloor(w).toMillis());
    }
    return new Floors(critical.toMillis(), writes, floor);
  }

  /** (writes - 200 burst) / 10 per second, never negative. */
  public static Duration throttleFloor(int writes) {
    double seconds = Math.max(0, writes - WRITE_BURST) / WRITES_PER_SECOND;
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** The share of ARM's read budget over {@code elapsed} that {@code reads} used. */
  public static double readBudgetShare(long reads, Duration elapsed) {
    double budget = READ_BURST + READS_PER_SECOND * elapsed.toMillis() / 1000.0;
    return reads / budget;
  }
}
