package dev.artifactstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.simulator.Simulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The operator left running for a long time over a built fleet while people change Azure by hand:
 * every few seconds a store's zone record is deleted, its replica deleted, or its endpoint's DNS
 * configuration loses the replica region's member (as Azure leaves an endpoint when a replica is
 * added without writing the endpoint again). Each change goes through the simulator's admin API
 * code ({@code POST /_simulator/by-hand}, {@code POST /_simulator/drift/endpoint-region}); each
 * must be repaired within one resync period. The operator's live heap after a full GC, its threads
 * and its open files are taken at 10 minutes and at the end.
 */
final class Soak {
  /** How long, how often a change, and where the figures go. */
  record Plan(Duration length, Duration every, Path report) {}

  enum Kind {
    RECORD_DELETED,
    REPLICA_DELETED,
    ENDPOINT_MEMBER_REMOVED
  }

  /** A change made by hand, and how to see it repaired. */
  private record Drift(Kind kind, String store, Instant at, Predicate<Simulator> repaired) {}

  /** Process figures at one moment. */
  record Sample(Duration at, long liveHeapBytes, long threads, long openFiles) {}

  private final Plan plan;
  private final Duration resync;
  private final Simulator simulator;
  private final OperatorProcess operator;
  private final PrintStream out;
  private final Random random = new Random(20261207L);

  Soak(Plan plan, Duration resync, Simulator simulator, OperatorProcess operator, PrintStream out) {
    this.plan = plan;
    this.resync = resync;
    this.simulator = simulator;
    this.operator = operator;
    this.out = out;
  }

  void run(KubernetesClient client) throws IOException, InterruptedException {
    List<ArtifactStore> stores =
        client.resources(ArtifactStore.class).inNamespace(Bench.NAMESPACE).list().getItems();
    Instant start = Instant.now();
    Instant end = start.plus(plan.length());
    Instant tenMinutes = start.plus(Duration.ofMinutes(10));
    out.printf(
        Locale.ROOT,
        "soak: %d min over %d stores, a change by hand every %d s, resync period %d s%n",
        plan.length().toMinutes(),
        stores.size(),
        plan.every().toSeconds(),
        resync.toSeconds());
    List<Sample> samples = new ArrayList<>();
    samples.add(sample(Duration.ZERO));
    List<Drift> pending = new ArrayList<>();
    Map<Kind, List<Long>> repairMs = new TreeMap<>();
    Map<Kind, Integer> injected = new TreeMap<>();
    List<String> late = new ArrayList<>();
    Instant nextDrift = start;
    while (Instant.now().isBefore(end) || !pending.isEmpty()) {
      Instant now = Instant.now();
      if (now.isBefore(end) && !now.isBefore(nextDrift)) {
        Drift drift = inject(stores, pending);
        if (drift != null) {
          pending.add(drift);
          injected.merge(drift.kind(), 1, Integer::sum);
        }
        nextDrift = nextDrift.plus(plan.every());
      }
      for (Iterator<Drift> it = pending.iterator(); it.hasNext(); ) {
        Drift d = it.next();
        Duration since = Duration.between(d.at(), now);
        if (d.repaired().test(simulator)) {
          repairMs.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(since.toMillis());
          if (since.compareTo(resync) > 0) {
            late.add(d.store() + " " + d.kind() + " " + since.toSeconds() + " s");
          }
          it.remove();
        } else if (since.compareTo(resync.multipliedBy(3)) > 0) {
          late.add(d.store() + " " + d.kind() + " never repaired");
          it.remove();
        }
      }
      if (samples.size() == 1 && !now.isBefore(tenMinutes)) {
        samples.add(sample(Duration.between(start, now)));
      }
      Thread.sleep(500);
    }
    samples.add(sample(Duration.between(start, Instant.now())));
    String report = report(stores.size(), injected, repairMs, late, samples);
    out.println(report);
    if (plan.report() != null) {
      Files.writeString(plan.report(), report);
    }
  }

  /** One change by hand to a store no change is pending for; null when none can be made. */
  private Drift inject(List<ArtifactStore> stores, List<Drift> pending) {
    Set<String> busy = new TreeSet<>();
    pending.forEach(d -> busy.add(d.store()));
    for (int attempt = 0; attempt < 50; attempt++) {
      ArtifactStore store = stores.get(random.nextInt(stores.size()));
      String name = store.getMetadata().getName();
      ArtifactStore current = store;
      if (busy.contains(name) || current.getStatus() == null) {
        continue;
      }
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      String replicaId = replicaId(current);
      PrivateEndpointStatus endpoint = endpoint(current);
      switch (kind) {
        case RECORD_DELETED -> {
          if (endpoint == null || endpoint.getDnsRecords().isEmpty()) {
            continue;
          }
          String fqdn =
              endpoint
                  .getDnsRecords()
                  .get(random.nextInt(endpoint.getDnsRecords().size()))
                  .getFqdn();
          String recordId =
              current.getSpec().getPrivateEndpoints().get(0).getPrivateDnsZoneId()
                  + "/A/"
                  + fqdn.toLowerCase(Locale.ROOT).replaceFirst("\\.azurecr\\.io$", "");
          simulator.seed("by-hand", "DELETE", recordId + "?api-version=2024-06-01", null);
          return new Drift(kind, name, Instant.now(), s -> s.resource(recordId) != null);
        }
        case REPLICA_DELETED -> {
          if (replicaId == null) {
            continue;
          }
          simulator.seed("by-hand", "DELETE", replicaId + "?api-version=2025-11-01", null);
          return new Drift(
              kind,
              name,
              Instant.now(),
              s -> {
                ObjectNode replica = s.resource(replicaId);
                return replica != null
                    && "Succeeded".equals(replica.at("/properties/provisioningState").asText());
              });
        }
        case ENDPOINT_MEMBER_REMOVED -> {
          if (endpoint == null || replicaId == null) {
            continue;
          }
          String region = replicaId.substring(replicaId.lastIndexOf('/') + 1);
          String endpointId = endpoint.getResourceId();
          if (!simulator.dropEndpointRegion(endpointId, region)) {
            continue;
          }
          return new Drift(
              kind,
              name,
              Instant.now(),
              s -> {
                ObjectNode pe = s.resource(endpointId);
                if (pe == null) {
                  return false;
                }
                for (JsonNode config : pe.at("/properties/customDnsConfigs")) {
                  if (config.path("fqdn").asText().contains("." + region + ".")) {
                    return true;
                  }
                }
                return false;
              });
        }
      }
    }
    return null;
  }

  private static String replicaId(ArtifactStore store) {
    String home = store.getSpec().getLocation();
    return store.getStatus().getReplicas() == null
        ? null
        : store.getStatus().getReplicas().stream()
            .filter(r -> r.getResourceId() != null && !r.getRegion().equalsIgnoreCase(home))
            .map(ReplicaStatus::getResourceId)
            .findFirst()
            .orElse(null);
  }

  private static PrivateEndpointStatus endpoint(ArtifactStore store) {
    List<PrivateEndpointStatus> endpoints = store.getStatus().getPrivateEndpoints();
    return endpoints == null || endpoints.isEmpty() ? null : endpoints.get(0);
  }

  private Sample sample(Duration at) throws IOException, InterruptedException {
    long pid = operator.pid();
    long threads = -1;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.substring("Threads:".length()).trim());
      }
    }
    long files;
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      files = fds.count();
    }
    Sample s = new Sample(at, operator.liveHeapAfterFullGc(), threads, files);
    out.printf(
        Locale.ROOT,
        "soak at %d min: live heap after a full GC %.1f MiB, %d threads, %d open files%n",
        at.toMinutes(),
        s.liveHeapBytes() / (double) (1 << 20),
        s.threads(),
        s.openFiles());
    return s;
  }

  private String report(
      int stores,
      Map<Kind, Integer> injected,
      Map<Kind, List<Long>> repairMs,
      List<String> late,
      List<Sample> samples) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "# Soak: %d min, %d stores, a change by hand every %d s, resync period %d s%n%n",
            plan.length().toMinutes(),
            stores,
            plan.every().toSeconds(),
            resync.toSeconds()));
    md.append(
        "| change | injected | repaired | repair p50 | repair max |\n|---|---|---|---|---|\n");
    for (Kind kind : Kind.values()) {
      List<Long> ms = new ArrayList<>(repairMs.getOrDefault(kind, List.of()));
      ms.sort(null);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s |%n",
              kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
              injected.getOrDefault(kind, 0),
              ms.size(),
              ms.isEmpty()
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f s", ms.get(ms.size() / 2) / 1000.0),
              ms.isEmpty()
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f s", ms.get(ms.size() - 1) / 1000.0)));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nRepaired later than one resync period (%d s), or never: %s%n%n",
            resync.toSeconds(),
            late.isEmpty() ? "none" : late.toString()));
    md.append("| at | live heap after a full GC | threads | open files |\n|---|---|---|---|\n");
    for (Sample s : samples) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d min | %.1f MiB | %d | %d |%n",
              s.at().toMinutes(),
              s.liveHeapBytes() / (double) (1 << 20),
              s.threads(),
              s.openFiles()));
    }
    if (samples.size() >= 3) {
      Sample ten = samples.get(1);
      Sample last = samples.get(samples.size() - 1);
      md.append(
          String.format(
              Locale.ROOT,
              "%nLive heap at the end against 10 min: %+.1f %% (target within 10 %%); threads %+d,"
                  + " open files %+d.%n",
              100.0 * (last.liveHeapBytes() - ten.liveHeapBytes()) / ten.liveHeapBytes(),
              last.threads() - ten.threads(),
              last.openFiles() - ten.openFiles()));
    }
    return md.toString();
  }
}
