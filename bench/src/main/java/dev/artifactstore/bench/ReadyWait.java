package dev.artifactstore.bench;

import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Waits until every store is Ready, looking at the operator twice a second and printing the
 * progress every 10 s, so that a long run shows it is moving and a stuck one where it stands.
 */
final class ReadyWait {
  private final Simulator simulator;
  private final OperatorProcess operator;
  private final OperatorUsage usage;
  private final PrintStream out;

  ReadyWait(Simulator simulator, OperatorProcess operator, OperatorUsage usage, PrintStream out) {
    this.simulator = simulator;
    this.operator = operator;
    this.usage = usage;
    this.out = out;
  }

  /** Fails when the operator process ends or {@code timeout} passes first. */
  void until(StoreWatch stores, int n, Duration timeout) throws InterruptedException {
    until(stores, n, name -> true, timeout);
  }

  /** Until {@code n} of the stores {@code counted} (by name) are Ready. */
  void until(
      StoreWatch stores, int n, java.util.function.Predicate<String> counted, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Instant lastReport = Instant.now();
    while (stores.ready(counted) < n) {
      if (!operator.alive()) {
        throw new IllegalStateException(
            "the operator process ended; its log is in " + operator.log());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            stores.ready(counted) + " of " + n + " stores Ready after " + timeout);
      }
      usage.sample();
      if (Duration.between(lastReport, Instant.now()).toSeconds() >= 10) {
        lastReport = Instant.now();
        progress(stores.ready(counted), n);
      }
      Thread.sleep(500);
    }
  }

  private void progress(int ready, int n) {
    List<Journal.Entry> journal = ArmJournal.operatorRequests(simulator, operator.spawned());
    OperatorProcess.Sample last = usage.last();
    out.printf(
        Locale.ROOT,
        "%4d s  Ready %d/%d  ARM reads %d writes %d 429s %d  heap %d MiB  RSS %d MiB%n",
        Duration.between(operator.spawned(), Instant.now()).toSeconds(),
        ready,
        n,
        ArmJournal.reads(journal),
        ArmJournal.others(journal),
        ArmJournal.throttled(journal),
        last.heapUsedBytes() >> 20,
        last.rssBytes() >> 20);
  }
}
