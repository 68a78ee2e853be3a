package dev.artifactstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end, small: the packaged operator as a process, three stores of each kind, a
 * short resync. What the full runs in bench/results measure at scale, checked here on every build
 * so the harness keeps working.
 */
class BenchIT {
  @TempDir Path out;

  @Test
  void threeStoresInTwoSubscriptionsAreBuiltWithoutA429AndTheirResyncsWriteNothing()
      throws Exception {
    Path jar = Path.of("..", "operator", "target", "artifactstore-operator.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "the operator jar is packaged before this runs: " + jar);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Bench.Config config =
        new Bench.Config(
            3,
            StoreMix.parse("single=1,geo=1,geo-endpoint=1"),
            "instant",
            1,
            Duration.ofSeconds(5),
            true,
            4,
            jar,
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            Duration.ofMinutes(3),
            out.resolve("journal.csv"),
            2,
            null,
            false,
            false,
            null);

    Result result =
        new Bench(config, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    Path markdown = Report.write(result, out, "smoke");

    System.out.println(Files.readString(markdown));
    assertEquals(3, result.timings().ready());
    assertEquals(0, result.arm().throttled429());
    assertEquals(7, result.arm().writes(), "registries 3, replicas 2, endpoint 1, zone group 1");
    assertEquals(7, result.floors().writesNeeded());
    // Stores 1 and 3 in the first subscription, store 2 in the second, each on its own platform.
    assertEquals(2, result.subscriptions().size());
    assertEquals(List.of(2, 1), result.subscriptions().stream().map(s -> s.stores()).toList());
    assertEquals(
        List.of(5, 2), result.subscriptions().stream().map(s -> s.writesNeeded()).toList());
    String journal = Files.readString(out.resolve("journal.csv"));
    for (Result.Subscription s : result.subscriptions()) {
      assertTrue(
          journal.contains("PUT,201,/subscriptions/" + s.id() + "/resourceGroups/"),
          "a registry created in " + s.id());
      assertTrue(s.allReadyMs() > 0, "its stores were Ready: " + s);
    }
    var steady = result.steadyState();
    assertTrue(steady.resyncs() >= 3, "every store resynced: " + steady);
    assertEquals(0, steady.writes(), "resyncs write nothing to Azure");
    assertEquals(0, steady.statusWrites(), "resyncs write no status");
    assertEquals(0, steady.throttled429());
    assertTrue(steady.readsPerStorePerResync() <= 4, "reads per resync: " + steady);
    assertTrue(result.operator().maxHeapUsedBytes() > 0, "heap read from /metrics");
    assertTrue(result.operator().maxRssBytes() > 0, "RSS read from /proc");
    assertTrue(result.timings().startToFirstReconcileMs() > 0);
    assertTrue(Files.size(out.resolve("smoke.png")) > 10_000, "a plot was drawn");
    assertEquals(result, Report.read(out.resolve("smoke.json")), "the JSON holds the whole run");
    assertTrue(Files.readString(out.resolve("journal.csv")).lines().count() > 14);
  }

  /**
   * A fleet seeded as built: the seed is the operator's own requests, so the operator finds every
   * store built, writes nothing to Azure and makes every store Ready; then its resyncs and live
   * heap are measured.
   */
  @Test
  void aSeededFleetIsFoundBuiltAndResyncedWithoutAWrite() throws Exception {
    Path jar = Path.of("..", "operator", "target", "artifactstore-operator.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "the operator jar is packaged before this runs: " + jar);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Bench.Config config =
        new Bench.Config(
            6,
            StoreMix.parse("single=1,geo=1,geo-endpoint=1"),
            "instant",
            1,
            Duration.ofSeconds(5),
            false,
            4,
            jar,
            List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            Duration.ofMinutes(3),
            null,
            2,
            null,
            true,
            false,
            null);

    Result result =
        new Bench(config, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    Report.write(result, out, "seeded");

    System.out.println(Files.readString(out.resolve("seeded.md")));
    assertEquals(6, result.timings().ready());
    assertEquals(0, result.arm().writes(), "every store was found built: " + result.arm());
    assertEquals(0, result.arm().deletes());
    assertTrue(result.arm().reads() > 0, "the seeded stores were read");
    assertEquals(0, result.steadyState().writes());
    assertEquals(0, result.steadyState().statusWrites());
    Result.Seeded seeded = result.seeded();
    assertTrue(result.steadyState().resyncs() >= 6, "every store resynced: " + result);
    assertTrue(seeded.resyncsPerStorePerPeriod() > 0, "resyncs against the period: " + seeded);
    assertTrue(seeded.liveHeapBytes() > 10 << 20, "a live heap was measured: " + seeded);
    assertTrue(seeded.liveHeapBytes() < seeded.rssBytes(), "live heap within RSS: " + seeded);
    assertTrue(
        result.checks().stream()
            .anyMatch(c -> c.target().startsWith("seeded fleet: 0 ARM writes") && c.met()),
        "checked: " + result.checks());
  }
}
