package dev.artifactstore.bench;

import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark run: the simulator (ARM throttling on, the chosen latency profile) and the
 * Kubernetes mock API server in this process, the operator as a process of its own, N stores
 * created before it starts, measured until every store is Ready and then over a resync period.
 */
public final class Bench {
  static final String NAMESPACE = "bench";

  /** What to run. */
  public record Config(
      int stores,
      StoreMix mix,
      String profile,
      double timeScale,
      Duration resync,
      boolean steadyState,
      int concurrency,
      Path operatorJar,
      List<String> jvmOptions,
      Duration timeout,
      Path journalCsv,
      int subscriptions,
      Duration slowSubscription,
      boolean seeded,
      boolean durableSimulator,
      Soak.Plan soak) {

    /**
     * A resync period the read budget can carry: 3 to 4 reads per store in half the budget. Each
     * subscription has a budget of its own, so it is the stores of one subscription that count.
     */
    static Duration defaultResync(int stores, int subscriptions) {
      long perSubscription = (stores + subscriptions - 1) / subscriptions;
      return Duration.ofSeconds(Math.max(30, Math.round(perSubscription * 0.18)));
    }

    Duration resyncPeriod() {
      return resync != null ? resync : defaultResync(stores, Math.max(1, subscriptions));
    }

    Result.Setup setup(List<StoreMix.Type> kinds, LatencyProfile profile) {
      Map<String, Integer> storesByKind = new TreeMap<>();
      kinds.forEach(k -> storesByKind.merge(k.word(), 1, Integer::sum));
      return new Result.Setup(
          kinds.size(),
          mix.toString(),
          storesByKind,
          profile.name(),
          profile.timeScale(),
          resyncPeriod().toMillis(),
          concurrency,
          true,
          durableSimulator);
    }
  }

  private final Config config;
  private final PrintStream out;

  public Bench(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public Result run() throws Exception {
    Path work = Files.createTempDirectory("artifactstore-bench");
    LatencyProfile profile = LatencyProfile.parse(config.profile(), config.timeScale());
    List<StoreMix.Type> kinds = config.mix().assign(config.stores());
    Subscriptions subscriptions = Subscriptions.of(config.subscriptions());
    try (Servers servers =
        Servers.start(
            work.resolve("simulator"), profile, subscriptions, config.durableSimulator())) {
      PlatformSeed.seed(servers.simulator(), profile, subscriptions);
      if (config.seeded()) {
        FleetSeed.seed(servers.simulator(), kinds, subscriptions, OperatorLaunch.CLUSTER_ID, out);
      }
      if (config.slowSubscription() != null) {
        servers
            .simulator()
            .faults()
            .setRequestLatency(subscriptions.last(), config.slowSubscription());
      }
      KubernetesClient client = servers.kubernetes().client();
      StoreCreation.create(client, kinds, config.mix(), subscriptions, out);
      long apiListMs = StoreCreation.timeListing(client, out);
      try (StoreWatch stores = StoreWatch.start(client);
          OperatorProcess operator = OperatorLaunch.start(config, work, servers, out)) {
        Measured measured =
            measure(servers.simulator(), client, operator, stores, kinds.size(), subscriptions);
        return Targets.checked(
            result(measured, stores, operator.spawned(), kinds, subscriptions, profile, apiListMs));
      }
    }
  }

  /**
   * Start-up alone, {@code runs} times: each run a fresh simulator, API server and set of stores,
   * the operator started and stopped as soon as it sends its first ARM request. Returns each run's
   * time from the process's start to that request.
   */
  public List<Duration> startups(int runs) throws Exception {
    List<Duration> times = new java.util.ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Path work = Files.createTempDirectory("artifactstore-startup");
      LatencyProfile profile = LatencyProfile.parse(config.profile(), config.timeScale());
      List<StoreMix.Type> kinds = config.mix().assign(config.stores());
      Subscriptions subscriptions = Subscriptions.of(config.subscriptions());
      try (Servers servers =
          Servers.start(
              work.resolve("simulator"), profile, subscriptions, config.durableSimulator())) {
        PlatformSeed.seed(servers.simulator(), profile, subscriptions);
        StoreCreation.create(
            servers.kubernetes().client(), kinds, config.mix(), subscriptions, out);
        try (OperatorProcess operator = OperatorLaunch.start(config, work, servers, out)) {
          Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
          List<Journal.Entry> first = List.of();
          while (first.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            first = ArmJournal.operatorRequests(servers.simulator(), operator.spawned());
          }
          if (first.isEmpty()) {
            throw new IllegalStateException("the operator sent no ARM request within 2 minutes");
          }
          Duration took = Duration.between(operator.spawned(), first.get(0).time());
          out.printf(
              Locale.ROOT,
              "start-up %d: %.2f s to the first ARM request%n",
              i + 1,
              took.toMillis() / 1000.0);
          times.add(took);
        }
      }
    }
    return times;
  }

  /** What the run saw of the operator, from its start until the bench stopped watching. */
  private record Measured(
      Result.SteadyState steadyState,
      Result.Operator process,
      List<Journal.Entry> journal,
      Instant firstArm,
      Result.Seeded seeded) {}

  private Measured measure(
      Simulator simulator,
      KubernetesClient client,
      OperatorProcess operator,
      StoreWatch stores,
      int n,
      Subscriptions subscriptions)
      throws IOException, InterruptedException {
    OperatorUsage usage = new OperatorUsage(operator);
    // The slow subscription's stores are not waited for: the run measures the others.
    boolean slow = config.slowSubscription() != null;
    java.util.function.Predicate<String> waited =
        name -> !slow || !subscriptions.forStoreNamed(name).equals(subscriptions.last());
    int expected = 0;
    for (int i = 1; i <= n; i++) {
      expected += !slow || !subscriptions.forStore(i).equals(subscriptions.last()) ? 1 : 0;
    }
    new ReadyWait(simulator, operator, usage, out)
        .until(stores, expected, waited, config.timeout());
    OperatorProcess.Sample built = usage.sample();
    out.printf(Locale.ROOT, "all %d stores waited for Ready%n", expected);
    if (config.soak() != null) {
      new Soak(config.soak(), config.resyncPeriod(), simulator, operator, out).run(client);
    }

    Result.SteadyState steady =
        (config.steadyState() || config.seeded()) && !slow
            ? SteadyStateWatch.watch(config.resyncPeriod(), simulator, operator, stores, usage, out)
            : null;
    Result.Seeded seeded = null;
    if (config.seeded() && steady != null) {
      double periods = steady.windowMs() / (double) config.resyncPeriod().toMillis();
      long live = operator.liveHeapAfterFullGc();
      seeded = new Result.Seeded(steady.resyncs() / (n * periods), live, operator.rssBytes());
      out.printf(
          Locale.ROOT,
          "seeded fleet: %.3f resyncs per store per period; live heap after a full GC %d MiB, RSS"
              + " %d MiB%n",
          seeded.resyncsPerStorePerPeriod(),
          live >> 20,
          seeded.rssBytes() >> 20);
    }
    usage.sample();
    Result.Operator process = usage.summary(built);

    List<Journal.Entry> journal = ArmJournal.operatorRequests(simulator, operator.spawned());
    Instant firstArm = journal.isEmpty() ? stores.allReady() : journal.get(0).time();
    if (config.journalCsv() != null) {
      ArmJournal.writeCsv(journal, firstArm, config.journalCsv());
    }
    return new Measured(steady, process, journal, firstArm, seeded);
  }

  private Result result(
      Measured measured,
      StoreWatch stores,
      Instant spawned,
      List<StoreMix.Type> kinds,
      Subscriptions subscriptions,
      LatencyProfile profile,
      long apiListMs) {
    Instant allReady = stores.allReady();
    List<Journal.Entry> building =
        measured.journal().stream().filter(e -> !e.time().isAfter(allReady)).toList();
    ReadyTimes times = new ReadyTimes(stores, spawned, measured.firstArm());
    // A seeded fleet needs no write, so there is no floor to be held against.
    Floors floors =
        config.seeded() ? new Floors(0, 0, 0) : Floors.of(kinds, profile, subscriptions.size());
    int n = kinds.size();
    return new Result(
        LocalDate.now(ZoneOffset.UTC).toString(),
        HostMachine.describe(config.jvmOptions()),
        config.setup(kinds, profile),
        times.timings(apiListMs, n),
        ArmUsage.whileBuilding(
            building, n, subscriptions.size(), times.building(), stores.readyAt()),
        measured.steadyState(),
        measured.process(),
        floors,
        times.ratios(floors),
        List.of(),
        ArmUsage.perSecond(building, measured.firstArm(), times.readyMs()),
        perSubscription(
            kinds, subscriptions, stores, measured, config.slowSubscription(), config.seeded()),
        measured.seeded());
  }

  /** Each subscription's stores against the floor of its own writes. */
  private static List<Result.Subscription> perSubscription(
      List<StoreMix.Type> kinds,
      Subscriptions subscriptions,
      StoreWatch stores,
      Measured measured,
      Duration slow,
      boolean seeded) {
    Map<String, Integer> count = new TreeMap<>();
    Map<String, Integer> writes = new TreeMap<>();
    for (int i = 1; i <= kinds.size(); i++) {
      count.merge(subscriptions.forStore(i), 1, Integer::sum);
      writes.merge(subscriptions.forStore(i), seeded ? 0 : kinds.get(i - 1).writes(), Integer::sum);
    }
    Map<String, Instant> lastReady = new TreeMap<>();
    Map<String, Integer> ready = new TreeMap<>();
    stores
        .readyAt()
        .forEach(
            (name, at) -> {
              lastReady.merge(subscriptions.forStoreNamed(name), at, Bench::later);
              ready.merge(subscriptions.forStoreNamed(name), 1, Integer::sum);
            });
    Map<String, Long> throttled = new TreeMap<>();
    for (Journal.Entry e : measured.journal()) {
      if (e.status() == 429 && e.subscription() != null) {
        throttled.merge(e.subscription().toLowerCase(Locale.ROOT), 1L, Long::sum);
      }
    }
    List<Result.Subscription> out = new java.util.ArrayList<>();
    for (String id : subscriptions.ids()) {
      long floor = Floors.throttleFloor(writes.getOrDefault(id, 0)).toMillis();
      Instant last = lastReady.get(id);
      boolean all = ready.getOrDefault(id, 0).equals(count.getOrDefault(id, 0));
      long allReady =
          last == null || !all ? -1 : Duration.between(measured.firstArm(), last).toMillis();
      boolean isSlow = slow != null && id.equals(subscriptions.last());
      out.add(
          new Result.Subscription(
              id,
              count.getOrDefault(id, 0),
              writes.getOrDefault(id, 0),
              floor,
              allReady,
              floor > 0 && allReady >= 0 ? allReady / (double) floor : null,
              throttled.getOrDefault(id, 0L),
              isSlow ? slow.toMillis() : 0,
              ready.getOrDefault(id, 0)));
    }
    return out;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
