package dev.artifactstore.operator.metrics;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's Prometheus metrics, all named artifactstore_*: reconciles, per-store readiness and
 * conditions, replicas, ARM requests. Labels stay within namespace, name, region, condition type,
 * ARM operation and status code, so cardinality grows with the number of stores only.
 */
public final class OperatorMetrics implements ReconcileObserver {
  static final List<String> CONDITIONS =
      List.of(
          "Ready",
          "Reconciling",
          "Stalled",
          "PrimaryReady",
          "ReplicaReady",
          "PrivateEndpointDnsReady");

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final Instant started;
  private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
  // Store (namespace/name) -> the reason it is Stalled for; absent when not Stalled.
  private final Map<String, String> stalledReasons = new ConcurrentHashMap<>();
  private static final String STALLED = "artifactstore_store_stalled";
  private static final String STALLED_HELP =
      "1 while the store is Stalled, labelled with the reason (kubectl describe shows the message)";
  private final Map<String, List<Meter.Id>> storeMeters = new ConcurrentHashMap<>();
  private final Set<String> firstReadySeen = ConcurrentHashMap.newKeySet();
  private final Timer timeToReady;

  public OperatorMetrics(Clock clock) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.clock = clock;
    // Condition times have whole seconds: a store that turned Ready in this second counts.
    this.started = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    // Every name this operator exports starts with artifactstore_, the JVM's own ones too.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith("artifactstore")
                    ? id
                    : id.withName("artifactstore." + id.getName());
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.timeToReady =
        Timer.builder("artifactstore_time_to_first_ready")
            .description("Time from an ArtifactStore's creation to its first Ready")
            .publishPercentileHistogram()
            .register(registry);
    // Registered up front so alerts and dashboards find them before anything happened.
    Counter.builder("artifactstore_arm_throttled")
        .description("ARM answers 429 SubscriptionRequestsThrottled")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void reconciled(ArtifactStore store, String result, Duration took) {
    Counter.builder("artifactstore_reconciles")
        .description("Reconciles by result: Ready, Progressing, Stalled, Failed, Error")
        .tag("result", result)
        .register(registry)
        .increment();
    Timer.builder("artifactstore_reconcile_duration")
        .description("Time one reconcile took, Azure calls included")
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
    String ns = store.getMetadata().getNamespace();
    String name = store.getMetadata().getName();
    Tags storeTags = Tags.of("namespace", ns, "name", name);
    gauge(
        ns,
        name,
        "artifactstore_store_failing",
        "1 when the store's last reconcile failed (Azure error or failed operation)",
        storeTags,
        result.equals("Failed") ? 1 : 0);
    List<Condition> conditions =
        store.getStatus() == null ? List.of() : store.getStatus().getConditions();
    for (String type : CONDITIONS) {
      int value =
          conditions.stream()
                  .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
              ? 1
              : 0;
      gauge(
          ns,
          name,
          "artifactstore_store_condition",
          "1 when the store's condition is True",
          storeTags.and("type", type),
          value);
      if (type.equals("Ready")) {
        gauge(
            ns,
            name,
            "artifactstore_store_ready",
            "1 when the store is Ready at its current generation",
            storeTags,
            value);
        if (value == 1
            && firstReadySeen.add(ns + "/" + name)
            && becameReadySinceStart(conditions)
            && store.getMetadata().getCreationTimestamp() != null) {
          try {
            timeToReady.record(
                Duration.between(
                    Instant.parse(store.getMetadata().getCreationTimestamp()), clock.instant()));
          } catch (RuntimeException ignored) {
            // An unparsable timestamp only costs this one sample.
          }
        }
      }
    }
    stalled(ns, name, storeTags, conditions);
    if (store.getStatus() != null) {
      for (ReplicaStatus replica : store.getStatus().getReplicas()) {
        int ready =
            "Succeeded".equals(replica.getProvisioningState())
                    && "Ready".equals(replica.getDisplayStatus())
                ? 1
                : 0;
        gauge(
            ns,
            name,
            "artifactstore_replica_ready",
            "1 when the replica is Succeeded and Ready",
            storeTags.and("region", String.valueOf(replica.getRegion())),
            ready);
      }
    }
  }

  /**
   * Whether the store turned Ready while this process ran: a store Ready before (seen again after a
   * restart or a change of leader) was counted by the instance that saw it turn Ready.
   */
  private boolean becameReadySinceStart(List<Condition> conditions) {
    for (Condition c : conditions) {
      if ("Ready".equals(c.getType()) && c.getLastTransitionTime() != null) {
        try {
          return !Instant.parse(c.getLastTransitionTime()).isBefore(started);
        } catch (RuntimeException e) {
          return false;
        }
      }
    }
    return false;
  }

  /**
   * {@code artifactstore_store_stalled{reason}} is 1 while the store is Stalled for that reason;
   * the series goes when the reason changes or the store is no longer Stalled.
   */
  private void stalled(String ns, String name, Tags storeTags, List<Condition> conditions) {
    String reason =
        conditions.stream()
            .filter(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus()))
            .map(c -> String.valueOf(c.getReason()))
            .findFirst()
            .orElse(null);
    String key = ns + "/" + name;
    String before = stalledReasons.get(key);
    if (Objects.equals(before, reason)) {
      return;
    }
    if (before != null) {
      Meter.Id old =
          new Meter.Id(
              STALLED, storeTags.and("reason", before), null, STALLED_HELP, Meter.Type.GAUGE);
      registry.remove(old);
      gauges.remove(old.toString());
      List<Meter.Id> ids = storeMeters.get(key);
      if (ids != null) {
        ids.remove(old);
      }
    }
    if (reason == null) {
      stalledReasons.remove(key);
    } else {
      stalledReasons.put(key, reason);
      gauge(ns, name, STALLED, STALLED_HELP, storeTags.and("reason", reason), 1);
    }
  }

  @Override
  public void deleted(ArtifactStore store) {
    String key = store.getMetadata().getNamespace() + "/" + store.getMetadata().getName();
    List<Meter.Id> ids = storeMeters.remove(key);
    if (ids != null) {
      ids.forEach(
          id -> {
            registry.remove(id);
            gauges.remove(id.toString());
          });
    }
    firstReadySeen.remove(key);
    stalledReasons.remove(key);
  }

  private void gauge(String ns, String name, String metric, String help, Tags tags, int value) {
    Meter.Id id = new Meter.Id(metric, tags, null, help, Meter.Type.GAUGE);
    AtomicInteger holder =
        gauges.computeIfAbsent(
            id.toString(),
            k -> {
              AtomicInteger v = new AtomicInteger();
              Gauge.builder(metric, v, AtomicInteger::get)
                  .description(help)
                  .tags(tags)
                  .register(registry);
              storeMeters
                  .computeIfAbsent(ns + "/" + name, s -> new CopyOnWriteArrayList<>())
                  .add(id);
              return v;
            });
    holder.set(value);
  }
}
