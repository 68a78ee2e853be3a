package dev.artifactstore.bench;

import dev.artifactstore.simulator.arm.Journal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The ARM requests made while the stores were being built, against ARM's budgets. */
final class ArmUsage {
  private ArmUsage() {}

  /**
   * {@code building}: the requests until all were Ready, which took {@code elapsed}; the budget
   * shares are of every subscription's budgets together.
   */
  static Result.Arm whileBuilding(
      List<Journal.Entry> building,
      int n,
      int subscriptions,
      Duration elapsed,
      Map<String, Instant> readyAt) {
    Map<String, Long> byKind = new TreeMap<>();
    building.forEach(e -> byKind.merge(e.kind(), 1L, Long::sum));
    Map<String, Double> perStore = new TreeMap<>();
    byKind.forEach((k, v) -> perStore.put(k, v / (double) n));
    long reads = ArmJournal.reads(building);
    long deletes = building.stream().filter(Journal.Entry::isDelete).count();
    long writes = building.stream().filter(Journal.Entry::isWrite).count();
    long throttled = ArmJournal.throttled(building);
    // Stores Ready early resync while the others are still being built.
    long resyncReads =
        building.stream()
            .filter(ArmJournal::isRead)
            .filter(
                e -> {
                  String store = StoreMix.storeOf(e.path());
                  Instant ready = store == null ? null : readyAt.get(store);
                  return ready != null && ready.isBefore(e.time());
                })
            .count();
    double writeBudget =
        subscriptions
            * (Floors.WRITE_BURST + Floors.WRITES_PER_SECOND * elapsed.toMillis() / 1000.0);
    return new Result.Arm(
        byKind,
        perStore,
        reads,
        writes,
        deletes,
        throttled,
        reads / (double) n,
        resyncReads,
        (reads - resyncReads) / (double) n,
        writes / (double) n,
        Floors.readBudgetShare(reads, elapsed) / subscriptions,
        writes / writeBudget);
  }

  /** Reads, writes and 429s in each second since {@code first}; and the times to Ready. */
  static Result.Series perSecond(List<Journal.Entry> building, Instant first, List<Long> readyMs) {
    int seconds =
        building.isEmpty()
            ? 1
            : (int) Duration.between(first, building.get(building.size() - 1).time()).toSeconds()
                + 1;
    long[] reads = new long[seconds];
    long[] writes = new long[seconds];
    long[] throttled = new long[seconds];
    for (Journal.Entry e : building) {
      int s = (int) Math.min(seconds - 1, Duration.between(first, e.time()).toSeconds());
      if (e.status() == 429) {
        throttled[s]++;
      } else if (ArmJournal.isRead(e)) {
        reads[s]++;
      } else {
        writes[s]++;
      }
    }
    return new Result.Series(list(reads), list(writes), list(throttled), readyMs);
  }

  private static List<Long> list(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return out;
  }
}
