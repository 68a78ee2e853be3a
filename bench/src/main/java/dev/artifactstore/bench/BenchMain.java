package dev.artifactstore.bench;

import dev.artifactstore.operator.cli.DurationConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar bench/target/artifactstore-bench.jar --stores 1000}. */
@Command(
    name = "artifactstore-bench",
    mixinStandardHelpOptions = true,
    description =
        "Runs the packaged operator against the simulator (ARM throttling on) and a Kubernetes"
            + " mock API server, creates N stores and measures what it takes to make them Ready."
            + " Writes bench/results/DATE-N.json, .md and .png.")
public final class BenchMain implements Callable<Integer> {
  @Option(
      names = "--stores",
      defaultValue = "100",
      description = "How many stores. Default: ${DEFAULT-VALUE}.")
  int stores;

  @Option(
      names = "--mix",
      defaultValue = "geo-endpoint=1",
      description =
          "Kinds of store and their weights: single, geo, geo-endpoint (e.g. single=1,geo=1,geo-endpoint=2). Default: ${DEFAULT-VALUE}.")
  String mix;

  @Option(
      names = "--profile",
      defaultValue = "instant",
      description = "Simulator latencies: instant or realistic. Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--time-scale",
      defaultValue = "0.1",
      description =
          "With --profile realistic: multiplies Azure's durations (0.1 makes a 90 s replica take 9 s). Default: ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(
      names = "--resync",
      description =
          "The operator's resync period in seconds. Default: 0.18 s per store, at least 30 s.")
  Long resyncSeconds;

  @Option(
      names = "--steady-state",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "After all are Ready, watch a resync period to measure its cost (default), or stop there with --no-steady-state.")
  boolean steadyState;

  @Option(
      names = "--concurrency",
      defaultValue = "10",
      description = "The operator's --concurrency. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--operator-jar",
      description = "Default: operator/target/artifactstore-operator.jar next to this jar.")
  Path operatorJar;

  @Option(
      names = "--jvm-options",
      defaultValue = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
      description = "The operator process's JVM options. Default: ${DEFAULT-VALUE}.")
  String jvmOptions;

  @Option(
      names = "--class-data-archive",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run the operator with the class-data archive the container image ships (made by one demo run next to the jar when missing), or without it.")
  boolean classDataArchive;

  @Option(
      names = "--timeout",
      defaultValue = "40",
      description = "Minutes to wait for Ready. Default: ${DEFAULT-VALUE}.")
  long timeoutMinutes;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Directory of the results. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--name", description = "File name of the results. Default: DATE-N.")
  String name;

  @Option(
      names = "--startups",
      description =
          "Measure start-up alone: this many runs, each stopped at the operator's first ARM request; prints each time and the median. Default: off.")
  Integer startups;

  @Option(
      names = "--subscriptions",
      defaultValue = "1",
      description =
          "Spread the stores over N subscriptions, each with a platform and ARM budget of its own"
              + " (store i in subscription i mod N). Default: ${DEFAULT-VALUE}.")
  int subscriptions;

  @Option(
      names = "--slow-subscription",
      converter = DurationConverter.class,
      description =
          "Answer every ARM request of the last subscription this late (e.g. 30s), and measure the"
              + " other subscriptions' stores: a slow subscription must not hold them up.")
  Duration slowSubscription;

  @Option(
      names = "--seeded",
      description =
          "Seed the stores as built: their Azure resources, marks included, go straight into the"
              + " simulator's state before the operator starts, which must then write nothing."
              + " Measures resyncs against the period, the live heap after a full GC and RSS.")
  boolean seeded;

  @Option(
      names = "--soak",
      description =
          "After all are Ready, leave the operator running this long (e.g. 60m) while a store's"
              + " zone record, replica or endpoint member is removed by hand every --soak-every;"
              + " reports each repair's time, and the live heap, threads and open files at 10"
              + " minutes and at the end.",
      converter = DurationConverter.class)
  Duration soak;

  @Option(
      names = "--soak-every",
      description = "How often a change by hand during --soak. Default: ${DEFAULT-VALUE}.",
      converter = DurationConverter.class,
      defaultValue = "5s")
  Duration soakEvery;

  @Option(
      names = "--durable-simulator",
      description =
          "Keep the simulator's state in a file, every write logged before it is answered (as the"
              + " standalone simulator with --state-file): measures what that durability costs.")
  boolean durableSimulator;

  @Option(
      names = "--journal",
      description = "Also write every ARM request the operator made, as CSV, to this file.")
  Path journal;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path jar = operatorJar != null ? operatorJar : defaultOperatorJar();
    if (!Files.isRegularFile(jar)) {
      System.err.println(
          "error: no operator jar at " + jar + "; build it with ./mvnw -B package -DskipTests");
      return 2;
    }
    List<String> options = new ArrayList<>(Arrays.asList(jvmOptions.trim().split("\\s+")));
    if (classDataArchive) {
      options.add(
          "-XX:SharedArchiveFile="
              + ClassDataArchive.forJar(jar, List.copyOf(options), System.out));
    }
    Bench.Config config =
        new Bench.Config(
            stores,
            StoreMix.parse(mix),
            profile,
            timeScale,
            resyncSeconds == null ? null : Duration.ofSeconds(resyncSeconds),
            steadyState,
            concurrency,
            jar,
            options,
            Duration.ofMinutes(timeoutMinutes),
            journal,
            subscriptions,
            slowSubscription,
            seeded,
            durableSimulator,
            soak == null
                ? null
                : new Soak.Plan(
                    soak,
                    soakEvery,
                    out.resolve(
                        (name != null ? name : LocalDate.now(ZoneOffset.UTC) + "-" + stores)
                            + "-soak.md")));
    if (startups != null) {
      List<Duration> times = new Bench(config, System.out).startups(startups);
      List<Long> ms = times.stream().map(Duration::toMillis).sorted().toList();
      System.out.printf(
          Locale.ROOT,
          "start to first ARM request at %d stores, %d runs: median %.2f s (min %.2f, max %.2f); JVM options %s%n",
          stores,
          ms.size(),
          ms.get(ms.size() / 2) / 1000.0,
          ms.get(0) / 1000.0,
          ms.get(ms.size() - 1) / 1000.0,
          String.join(" ", options));
      return 0;
    }
    Result result = new Bench(config, System.out).run();
    String file = name != null ? name : LocalDate.now(ZoneOffset.UTC) + "-" + stores;
    Path markdown = Report.write(result, out, file);
    System.out.println();
    System.out.println(Files.readString(markdown));
    System.out.println("written: " + out.resolve(file + ".json") + ", .md, .png");
    return result.checks().stream().allMatch(Result.Check::met) ? 0 : 1;
  }

  private static Path defaultOperatorJar() throws Exception {
    Path self =
        Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // bench/target/artifactstore-bench.jar (or bench/target/classes) -> operator/target/...
    Path repo = self.getParent().getParent().getParent();
    return repo.resolve("operator/target/artifactstore-operator.jar");
  }
}
