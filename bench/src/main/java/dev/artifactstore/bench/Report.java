package dev.artifactstore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a run as DATE-N.json, DATE-N.md and DATE-N.png. */
final class Report {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /** The three files; returns the markdown path. */
  static Path write(Result result, Path directory, String name) throws IOException {
    Files.createDirectories(directory);
    JSON.writeValue(directory.resolve(name + ".json").toFile(), result);
    Plot.write(result, directory.resolve(name + ".png"));
    Path markdown = directory.resolve(name + ".md");
    Files.writeString(markdown, markdown(result, name));
    return markdown;
  }

  static Result read(Path json) throws IOException {
    return JSON.readValue(json.toFile(), Result.class);
  }

  static String markdown(Result r, String name) {
    StringBuilder md = new StringBuilder();
    Result.Setup s = r.setup();
    md.append("# Benchmark ")
        .append(name)
        .append("\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d stores (%s), latency profile %s%s, ARM throttling on (reads 250/25 per s,"
                    + " writes 200/10 per s), resync %d s, concurrency %d%s.%n",
                s.stores(),
                s.mix(),
                s.latencyProfile(),
                s.latencyProfile().equals("realistic")
                    ? String.format(Locale.ROOT, " (time scale %s)", s.timeScale())
                    : "",
                s.resyncMs() / 1000,
                s.concurrency(),
                s.durableSimulator()
                    ? ", simulator state kept in a file with every write logged before it is"
                        + " answered"
                    : ""))
        .append(
            String.format(
                Locale.ROOT,
                "Machine: %d cores, %.1f GiB, %s; operator JVM options: %s.%n%n",
                r.machine().cores(),
                r.machine().memoryBytes() / (double) (1L << 30),
                r.machine().jvm(),
                String.join(" ", r.machine().operatorJvmOptions())));
    md.append("| target | measured | met |\n|---|---|---|\n");
    for (Result.Check c : r.checks()) {
      md.append("| ")
          .append(c.target())
          .append(" | ")
          .append(c.measured())
          .append(" | ")
          .append(c.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    Result.Timings t = r.timings();
    md.append("\n## Times (from the operator's first ARM request)\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "- process start to first reconcile (the first ARM request): %.2f s; to the first write"
                    + " to a store (a new store's finalizer, written in its first reconcile): %.2f s; the mock API server lists the stores in %.2f s%n- all Ready: %.1f s (%.1f s from"
                    + " process start)%n- per store time to Ready: p50 %.1f s, p95 %.1f s, max"
                    + " %.1f s%n- floors: critical path %.1f s, throttle floor %.1f s (%d writes"
                    + " needed)%n",
                t.startToFirstReconcileMs() / 1000.0,
                t.startToFirstStoreWriteMs() / 1000.0,
                t.mockApiListMs() / 1000.0,
                t.allReadyMs() / 1000.0,
                t.allReadyFromProcessStartMs() / 1000.0,
                t.p50Ms() / 1000.0,
                t.p95Ms() / 1000.0,
                t.maxMs() / 1000.0,
                r.floors().criticalPathMs() / 1000.0,
                r.floors().throttleFloorMs() / 1000.0,
                r.floors().writesNeeded()));
    if (r.subscriptions().size() > 1) {
      md.append("\n## Subscriptions (each against the floor of its own writes)\n\n")
          .append(
              "| subscription | ARM latency | stores | Ready | writes | all Ready | floor | ratio |"
                  + " 429s |\n")
          .append("|---|---|---|---|---|---|---|---|---|\n");
      for (Result.Subscription sub : r.subscriptions()) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %d | %s | %.1f s | %s | %d |%n",
                sub.id(),
                sub.requestLatencyMs() == 0
                    ? "none"
                    : String.format(Locale.ROOT, "%.1f s", sub.requestLatencyMs() / 1000.0),
                sub.stores(),
                sub.ready(),
                sub.writesNeeded(),
                sub.allReadyMs() < 0
                    ? "not waited for"
                    : String.format(Locale.ROOT, "%.1f s", sub.allReadyMs() / 1000.0),
                sub.throttleFloorMs() / 1000.0,
                sub.allReadyOverThrottleFloor() == null
                    ? "-"
                    : String.format(Locale.ROOT, "%.2f x", sub.allReadyOverThrottleFloor()),
                sub.throttled429()));
      }
    }
    Result.Arm a = r.arm();
    md.append("\n## ARM requests while building\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d reads (%.2f per store, %.0f %% of the read budget; %.2f per store before it"
                    + " was Ready, %d in resyncs of stores Ready already), %d writes (%.2f per store,"
                    + " %.0f %% of the write budget), %d deletes, %d x 429.%n%n",
                a.reads(),
                a.readsPerStore(),
                100 * a.readBudgetShare(),
                a.readsPerStoreBeforeReady(),
                a.readsOfReadyStores(),
                a.writes(),
                a.writesPerStore(),
                100 * a.writeBudgetShare(),
                a.deletes(),
                a.throttled429()))
        .append("| request | total | per store |\n|---|---|---|\n");
    for (Map.Entry<String, Long> e : a.requestsByKind().entrySet()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.2f |%n",
              e.getKey(),
              e.getValue(),
              a.requestsByKindPerStore().get(e.getKey())));
    }
    Result.SteadyState st = r.steadyState();
    if (st != null) {
      md.append("\n## Steady state\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "Over %d s: %d resyncs, %d ARM reads (%.2f per store per resync), %d writes, %d"
                      + " status writes, %d x 429. Reads: %s.%n",
                  st.windowMs() / 1000,
                  st.resyncs(),
                  st.reads(),
                  st.readsPerStorePerResync(),
                  st.writes(),
                  st.statusWrites(),
                  st.throttled429(),
                  st.readsByKind()));
    }
    Result.Seeded seeded = r.seeded();
    if (seeded != null) {
      md.append("\n## Seeded fleet\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "The stores' Azure resources were seeded as built before the operator started."
                      + " Resyncs per store per period: %.3f. Live heap after a full GC: %d MiB;"
                      + " RSS then: %d MiB.%n",
                  seeded.resyncsPerStorePerPeriod(),
                  seeded.liveHeapBytes() >> 20,
                  seeded.rssBytes() >> 20));
    }
    Result.Operator o = r.operator();
    md.append("\n## Operator process\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "CPU %.1f s in all (%.1f s until all Ready); heap used at most %d MiB; RSS at most"
                    + " %d MiB (peak %d MiB).%n",
                o.cpuSeconds(),
                o.cpuSecondsWhileBuilding(),
                o.maxHeapUsedBytes() >> 20,
                o.maxRssBytes() >> 20,
                o.peakRssBytes() >> 20))
        .append("\n![time to Ready and ARM requests per second](")
        .append(name)
        .append(".png)\n");
    return md.toString();
  }
}
