package dev.artifactstore.bench;

import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What resyncs cost once every store is Ready: ARM requests, status writes, reconciles. */
final class SteadyStateWatch {
  private static final String RECONCILES = "artifactstore_reconciles_total";
  private static final String READY = "result=\"Ready\"";

  private SteadyStateWatch() {}

  static Result.SteadyState watch(
      Duration resync,
      Simulator simulator,
      OperatorProcess operator,
      StoreWatch stores,
      OperatorUsage usage,
      PrintStream out)
      throws InterruptedException {
    // Every store resyncs at least once in a period and a jitter, whenever it became Ready.
    Duration window = Duration.ofMillis(Math.round(resync.toMillis() * 1.25));
    out.printf(
        Locale.ROOT,
        "steady state: watching %d s of resyncs (period %d s)%n",
        window.toSeconds(),
        resync.toSeconds());
    long sequence = simulator.journal().sequence();
    long statusWrites = stores.writes();
    double resyncs = operator.metricSum(RECONCILES, READY);
    Instant end = Instant.now().plus(window);
    while (Instant.now().isBefore(end)) {
      usage.sample();
      Thread.sleep(1000);
    }
    double resyncsAfter = operator.metricSum(RECONCILES, READY);
    List<Journal.Entry> entries = ArmJournal.requestsAfter(simulator, sequence);
    long reads = ArmJournal.reads(entries);
    Map<String, Long> readsByKind = new TreeMap<>();
    entries.stream()
        .filter(ArmJournal::isRead)
        .forEach(e -> readsByKind.merge(e.kind(), 1L, Long::sum));
    long count = Math.round(resyncsAfter - resyncs);
    return new Result.SteadyState(
        window.toMillis(),
        count,
        reads,
        ArmJournal.others(entries),
        stores.writes() - statusWrites,
        ArmJournal.throttled(entries),
        count == 0 ? null : reads / (double) count,
        readsByKind);
  }
}
