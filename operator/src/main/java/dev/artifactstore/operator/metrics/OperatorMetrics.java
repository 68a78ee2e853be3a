package dev.artifactstore.operator.metrics;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
  private final StoreSeries series = new StoreSeries();
  private final Map<String, Counter> reconciles = new ConcurrentHashMap<>();
  private final Timer reconcileDuration;
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
    this.reconcileDuration =
        Timer.builder("artifactstore_reconcile_duration")
            .description("Time one reconcile took, Azure calls included")
            .publishPercentileHistogram()
            .register(registry);
    registry.getPrometheusRegistry().register(series);
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
    reconciles.computeIfAbsent(result, this::reconcileCounter).increment();
    reconcileDuration.record(took);
    String ns = store.getMetadata().getNamespace();
    String name = store.getMetadata().getName();
    List<Condition> conditions =
        store.getStatus() == null ? List.of() : store.getStatus().getConditions();
    int trueConditions = 0;
    for (Condition c : conditions) {
      int i = StoreSeries.CONDITION_ORDER.indexOf(c.getType());
      if (i >= 0 && "True".equals(c.getStatus())) {
        trueConditions |= 1 << i;
      }
    }
    SortedMap<String, Boolean> replicas = new TreeMap<>();
    if (store.getStatus() != null) {
      for (ReplicaStatus replica : store.getStatus().getReplicas()) {
        replicas.put(
            String.valueOf(replica.getRegion()),
            "Succeeded".equals(replica.getProvisioningState())
                && "Ready".equals(replica.getDisplayStatus()));
      }
    }
    String stalledReason =
        conditions.stream()
            .filter(c -> "Stalled".equals(c.getType()) && "True".equals(c.getStatus()))
            .map(c -> String.valueOf(c.getReason()))
            .findFirst()
            .orElse(null);
    StoreSeries.Store now =
        new StoreSeries.Store(
            ns, name, result.equals("Failed"), trueConditions, stalledReason, replicas);
    if (!series.holds(now)) {
      series.put(now);
    }
    boolean ready = now.isTrue(StoreSeries.CONDITION_ORDER.indexOf("Ready"));
    if (ready
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

  private Counter reconcileCounter(String result) {
    return Counter.builder("artifactstore_reconciles")
        .description("Reconciles by result: Ready, Progressing, Stalled, Failed, Error")
        .tag("result", result)
        .register(registry);
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

  @Override
  public void deleted(ArtifactStore store) {
    String ns = store.getMetadata().getNamespace();
    String name = store.getMetadata().getName();
    series.remove(ns, name);
    firstReadySeen.remove(ns + "/" + name);
  }
}
