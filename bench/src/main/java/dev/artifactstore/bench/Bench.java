package dev.artifactstore.bench;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.cli.AzureOptions;
import dev.artifactstore.operator.reconcile.Conditions;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark run: the simulator (ARM throttling on, the chosen latency profile) and the
 * Kubernetes mock API server in this process, the operator as a process of its own, N stores
 * created before it starts, measured until every store is Ready and then over a resync period.
 */
public final class Bench {
  static final String NAMESPACE = "bench";
  static final String SUBNET = "bench";
  static final String SUBNET_PREFIX = "10.1.64.0/18";

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
      Path journalCsv) {

    /** A resync period the read budget can carry: 3 to 4 reads per store in half the budget. */
    static Duration defaultResync(int stores) {
      return Duration.ofSeconds(Math.max(30, Math.round(stores * 0.18)));
    }
  }

  /**
   * The mock API server logs every request it answers; the bench prints its own progress. Held, so
   * that the logger keeps its level (java.util.logging holds loggers weakly).
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final Config config;
  private final PrintStream out;
  private long apiListMs = -1;

  /** When the operator first wrote a store (a new store's first reconcile adds the finalizer). */
  private final java.util.concurrent.atomic.AtomicReference<Instant> firstWrite =
      new java.util.concurrent.atomic.AtomicReference<>();

  public Bench(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public Result run() throws Exception {
    Path work = Files.createTempDirectory("artifactstore-bench");
    LatencyProfile profile = LatencyProfile.parse(config.profile(), config.timeScale());
    List<StoreMix.Type> kinds = config.mix().assign(config.stores());
    Floors floors = Floors.of(kinds, profile);
    try (Simulator simulator =
            Simulator.start(
                Simulator.options()
                    .port(0)
                    .dataDir(work.resolve("simulator"))
                    .profile(profile)
                    .throttling(true));
        EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      seed(simulator, profile);
      KubernetesClient client = kubernetes.client();
      Instant created = Instant.now();
      for (int i = 0; i < kinds.size(); i++) {
        client.resource(StoreMix.store(NAMESPACE, "", i + 1, kinds.get(i), SUBNET)).create();
      }
      out.printf(
          Locale.ROOT,
          "created %d stores (%s) in %.1f s%n",
          kinds.size(),
          config.mix(),
          Duration.between(created, Instant.now()).toMillis() / 1000.0);

      // The operator's first reconcile waits for its informer's first list of the stores; how
      // long the mock API server takes to answer it is part of the start-up it measures.
      long listed = System.nanoTime();
      int listedStores =
          client.resources(ArtifactStore.class).inNamespace(NAMESPACE).list().getItems().size();
      apiListMs = (System.nanoTime() - listed) / 1_000_000;
      out.printf(
          Locale.ROOT,
          "the mock API server lists the %d stores in %d ms%n",
          listedStores,
          apiListMs);

      Map<String, Instant> readyAt = new ConcurrentHashMap<>();
      AtomicLong updates = new AtomicLong();
      SharedIndexInformer<ArtifactStore> informer =
          client
              .resources(ArtifactStore.class)
              .inNamespace(NAMESPACE)
              .inform(watcher(readyAt, updates));
      try (OperatorProcess operator = startOperator(work, kubernetes, simulator)) {
        return measure(simulator, operator, kinds, floors, readyAt, updates, profile, work);
      } finally {
        informer.close();
      }
    }
  }

  private Result measure(
      Simulator simulator,
      OperatorProcess operator,
      List<StoreMix.Type> kinds,
      Floors floors,
      Map<String, Instant> readyAt,
      AtomicLong updates,
      LatencyProfile profile,
      Path work)
      throws Exception {
    int n = kinds.size();
    List<OperatorProcess.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    Instant deadline = Instant.now().plus(config.timeout());
    Instant lastReport = Instant.now();
    while (readyAt.size() < n) {
      if (!operator.alive()) {
        throw new IllegalStateException(
            "the operator process ended; its log is in " + work.resolve("operator.log"));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            readyAt.size() + " of " + n + " stores Ready after " + config.timeout());
      }
      samples.add(operator.sample());
      if (Duration.between(lastReport, Instant.now()).toSeconds() >= 10) {
        lastReport = Instant.now();
        progress(simulator, operator, readyAt.size(), n, samples);
      }
      Thread.sleep(500);
    }
    OperatorProcess.Sample built = operator.sample();
    samples.add(built);
    Instant allReady = readyAt.values().stream().max(Instant::compareTo).orElseThrow();
    out.printf(Locale.ROOT, "all %d stores Ready%n", n);

    Result.SteadyState steady = null;
    if (config.steadyState()) {
      steady = steadyState(simulator, operator, updates, samples, n);
    }
    samples.add(operator.sample());
    long peakRss = operator.peakRssBytes();

    List<Journal.Entry> journal =
        simulator
            .journal()
            .entries(e -> e.subscription() != null && !e.time().isBefore(operator.spawned()));
    Instant firstArm = journal.isEmpty() ? allReady : journal.get(0).time();
    if (config.journalCsv() != null) {
      writeJournal(journal, firstArm, config.journalCsv());
    }
    List<Journal.Entry> building =
        journal.stream().filter(e -> !e.time().isAfter(allReady)).toList();

    List<Long> readyMs =
        readyAt.values().stream()
            .map(t -> Duration.between(firstArm, t).toMillis())
            .sorted()
            .toList();
    long allReadyMs = Duration.between(firstArm, allReady).toMillis();
    Result.Timings timings =
        new Result.Timings(
            Duration.between(operator.spawned(), firstArm).toMillis(),
            allReadyMs,
            Duration.between(operator.spawned(), allReady).toMillis(),
            apiListMs,
            firstWrite.get() == null
                ? -1
                : Duration.between(operator.spawned(), firstWrite.get()).toMillis(),
            percentile(readyMs, 0.50),
            percentile(readyMs, 0.95),
            readyMs.get(readyMs.size() - 1),
            readyAt.size(),
            n);

    Result.Arm arm = arm(building, n, Duration.ofMillis(Math.max(1, allReadyMs)), readyAt);
    long maxHeap =
        samples.stream().mapToLong(OperatorProcess.Sample::heapUsedBytes).max().orElse(-1);
    long maxRss = samples.stream().mapToLong(OperatorProcess.Sample::rssBytes).max().orElse(-1);
    Result.Operator process =
        new Result.Operator(
            samples.get(samples.size() - 1).cpuSeconds(),
            built.cpuSeconds(),
            maxHeap,
            maxRss,
            peakRss);
    Result.Ratios ratios =
        new Result.Ratios(
            floors.throttleFloorMs() > 0 ? allReadyMs / (double) floors.throttleFloorMs() : null,
            floors.criticalPathMs() > 0
                ? readyMs.get(readyMs.size() - 1) / (double) floors.criticalPathMs()
                : null);
    Result.Series series = series(building, firstArm, readyMs);
    List<String> kindsByWord = kinds.stream().map(StoreMix.Type::word).toList();
    Map<String, Integer> storesByKind = new TreeMap<>();
    kindsByWord.forEach(k -> storesByKind.merge(k, 1, Integer::sum));
    Result result =
        new Result(
            LocalDate.now(ZoneOffset.UTC).toString(),
            machine(),
            new Result.Setup(
                n,
                config.mix().toString(),
                storesByKind,
                profile.name(),
                profile.timeScale(),
                resync().toMillis(),
                config.concurrency(),
                true),
            timings,
            arm,
            steady,
            process,
            floors,
            ratios,
            List.of(),
            series);
    return withChecks(result);
  }

  private Result.SteadyState steadyState(
      Simulator simulator,
      OperatorProcess operator,
      AtomicLong updates,
      List<OperatorProcess.Sample> samples,
      int n)
      throws InterruptedException {
    // Every store resyncs at least once in a period and a jitter, whenever it became Ready.
    Duration window = Duration.ofMillis(Math.round(resync().toMillis() * 1.25));
    out.printf(
        Locale.ROOT,
        "steady state: watching %d s of resyncs (period %d s)%n",
        window.toSeconds(),
        resync().toSeconds());
    long sequence = simulator.journal().sequence();
    long statusWrites = updates.get();
    double resyncs = operator.metricSum("artifactstore_reconciles_total", "result=\"Ready\"");
    Instant end = Instant.now().plus(window);
    while (Instant.now().isBefore(end)) {
      samples.add(operator.sample());
      Thread.sleep(1000);
    }
    double resyncsAfter = operator.metricSum("artifactstore_reconciles_total", "result=\"Ready\"");
    List<Journal.Entry> entries =
        simulator.journal().entries(e -> e.sequence() > sequence && e.subscription() != null);
    long reads = entries.stream().filter(e -> e.method().equals("GET")).count();
    long writes = entries.stream().filter(e -> !e.method().equals("GET")).count();
    long throttled = entries.stream().filter(e -> e.status() == 429).count();
    Map<String, Long> readsByKind = new TreeMap<>();
    entries.stream()
        .filter(e -> e.method().equals("GET"))
        .forEach(e -> readsByKind.merge(e.kind(), 1L, Long::sum));
    long count = Math.round(resyncsAfter - resyncs);
    return new Result.SteadyState(
        window.toMillis(),
        count,
        reads,
        writes,
        updates.get() - statusWrites,
        throttled,
        count == 0 ? null : reads / (double) count,
        readsByKind);
  }

  private void progress(
      Simulator simulator,
      OperatorProcess operator,
      int ready,
      int n,
      List<OperatorProcess.Sample> samples) {
    List<Journal.Entry> journal =
        simulator
            .journal()
            .entries(e -> e.subscription() != null && !e.time().isBefore(operator.spawned()));
    OperatorProcess.Sample last = samples.get(samples.size() - 1);
    out.printf(
        Locale.ROOT,
        "%4d s  Ready %d/%d  ARM reads %d writes %d 429s %d  heap %d MiB  RSS %d MiB%n",
        Duration.between(operator.spawned(), Instant.now()).toSeconds(),
        ready,
        n,
        journal.stream().filter(e -> e.method().equals("GET")).count(),
        journal.stream().filter(e -> !e.method().equals("GET")).count(),
        journal.stream().filter(e -> e.status() == 429).count(),
        last.heapUsedBytes() >> 20,
        last.rssBytes() >> 20);
  }

  private static void writeJournal(List<Journal.Entry> journal, Instant first, Path csv)
      throws IOException {
    StringBuilder text = new StringBuilder("ms,method,status,path\n");
    for (Journal.Entry e : journal) {
      text.append(Duration.between(first, e.time()).toMillis())
          .append(',')
          .append(e.method())
          .append(',')
          .append(e.status())
          .append(',')
          .append(e.path())
          .append('\n');
    }
    Files.writeString(csv, text);
  }

  private static Result.Arm arm(
      List<Journal.Entry> building, int n, Duration elapsed, Map<String, Instant> readyAt) {
    Map<String, Long> byKind = new TreeMap<>();
    building.forEach(e -> byKind.merge(e.kind(), 1L, Long::sum));
    Map<String, Double> perStore = new TreeMap<>();
    byKind.forEach((k, v) -> perStore.put(k, v / (double) n));
    long reads = building.stream().filter(e -> e.method().equals("GET")).count();
    long deletes = building.stream().filter(Journal.Entry::isDelete).count();
    long writes = building.stream().filter(Journal.Entry::isWrite).count();
    long throttled = building.stream().filter(e -> e.status() == 429).count();
    // Stores Ready early resync while the others are still being built.
    long resyncReads =
        building.stream()
            .filter(e -> e.method().equals("GET"))
            .filter(
                e -> {
                  String store = StoreMix.storeOf(e.path());
                  Instant ready = store == null ? null : readyAt.get(store);
                  return ready != null && ready.isBefore(e.time());
                })
            .count();
    double writeBudget =
        Floors.WRITE_BURST + Floors.WRITES_PER_SECOND * elapsed.toMillis() / 1000.0;
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
        Floors.readBudgetShare(reads, elapsed),
        writes / writeBudget);
  }

  private static Result.Series series(
      List<Journal.Entry> building, Instant first, List<Long> readyMs) {
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
      } else if (e.method().equals("GET")) {
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

  static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** The targets, each with what this run measured. */
  static Result withChecks(Result r) {
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
    Result.SteadyState s = r.steadyState();
    if (s != null) {
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
          new Result.Check(
              "steady state 0 ARM writes", Long.toString(s.writes()), s.writes() == 0));
      checks.add(
          new Result.Check(
              "steady state 0 status writes",
              Long.toString(s.statusWrites()),
              s.statusWrites() == 0));
    }
    long mib = 1 << 20;
    checks.add(
        new Result.Check(
            "heap <= 256 MiB",
            (r.operator().maxHeapUsedBytes() / mib) + " MiB",
            r.operator().maxHeapUsedBytes() > 0 && r.operator().maxHeapUsedBytes() <= 256 * mib));
    long rss = Math.max(r.operator().maxRssBytes(), r.operator().peakRssBytes());
    checks.add(
        new Result.Check("RSS <= 512 MiB", (rss / mib) + " MiB", rss > 0 && rss <= 512 * mib));
    checks.add(
        new Result.Check(
            "start to first reconcile <= 3 s",
            String.format(Locale.ROOT, "%.2f s", r.timings().startToFirstReconcileMs() / 1000.0),
            r.timings().startToFirstReconcileMs() <= 3000));
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
        r.series());
  }

  private Result.Machine machine() {
    long memory = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // Not Linux: left unknown.
    }
    return new Result.Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        config.jvmOptions());
  }

  private Duration resync() {
    return config.resync() != null ? config.resync() : Config.defaultResync(config.stores());
  }

  /** The platform a store needs, with a subnet big enough for every endpoint of the run. */
  private void seed(Simulator simulator, LatencyProfile profile) throws InterruptedException {
    PlatformBaseline.create(
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(
                null,
                AzureOptions.DEFAULT_SIMULATOR_CLIENT,
                AzureOptions.DEFAULT_SIMULATOR_SECRET)),
        SUBNET + "=" + SUBNET_PREFIX);
    // Let the baseline's operations end and ARM's buckets refill before the operator starts.
    Duration settle =
        List.of("virtualNetwork", "privateDnsZone", "virtualNetworkLink").stream()
            .map(profile::duration)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO)
            .plusSeconds(2);
    Thread.sleep(settle.toMillis());
  }

  private OperatorProcess startOperator(
      Path work, EmbeddedKubernetes kubernetes, Simulator simulator) throws IOException {
    Path kubeconfig = kubernetes.writeKubeconfig(work.resolve("kubeconfig"), NAMESPACE);
    int metrics = freePort();
    int health = freePort();
    OperatorProcess operator =
        OperatorProcess.start(
            config.operatorJar(),
            config.jvmOptions(),
            List.of(
                "run",
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespaces",
                NAMESPACE,
                "--azure-endpoint",
                simulator.endpoint(),
                "--azure-ca-cert",
                simulator.caCertificate().toString(),
                "--metrics-port",
                Integer.toString(metrics),
                "--health-port",
                Integer.toString(health),
                "--bind-address",
                "127.0.0.1",
                "--resync",
                resync().toSeconds() + "s",
                "--concurrency",
                Integer.toString(config.concurrency())),
            metrics,
            work.resolve("operator.log"));
    out.printf(
        Locale.ROOT,
        "operator started (pid log %s), resync %d s%n",
        work.resolve("operator.log"),
        resync().toSeconds());
    return operator;
  }

  private ResourceEventHandler<ArtifactStore> watcher(
      Map<String, Instant> readyAt, AtomicLong updates) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ArtifactStore store) {
        check(store);
      }

      @Override
      public void onUpdate(ArtifactStore before, ArtifactStore after) {
        if (!java.util.Objects.equals(
            before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
          updates.incrementAndGet();
          firstWrite.compareAndSet(null, Instant.now());
        }
        check(after);
      }

      @Override
      public void onDelete(ArtifactStore store, boolean unknown) {}

      private void check(ArtifactStore store) {
        Condition ready =
            Conditions.find(
                store.getStatus() == null ? null : store.getStatus().getConditions(),
                Conditions.READY);
        if (ready != null
            && "True".equals(ready.getStatus())
            && java.util.Objects.equals(
                ready.getObservedGeneration(), store.getMetadata().getGeneration())) {
          readyAt.putIfAbsent(store.getMetadata().getName(), Instant.now());
        }
      }
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
