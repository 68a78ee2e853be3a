package dev.artifactstore.operator.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-store gauges (readiness, conditions, failing, stalled reason, replicas), kept as one
 * small record per store and turned into series only when Prometheus scrapes: a meter per series
 * would cost a registry entry, a holder and an id string each, nine per store, and a sort of every
 * series on every scrape. Stores are put in label order (name, then namespace) when scraped, so
 * each metric's series come out already sorted.
 */
final class StoreSeries implements MultiCollector {
  /**
   * What one store's gauges say; bit i of {@code conditions} is set when condition i of {@link
   * #CONDITION_ORDER} is True.
   */
  record Store(
      String namespace,
      String name,
      boolean failing,
      int conditions,
      String stalledReason,
      SortedMap<String, Boolean> replicasReady) {
    boolean isTrue(int condition) {
      return (conditions & (1 << condition)) != 0;
    }
  }

  private static final Comparator<Store> LABEL_ORDER =
      Comparator.comparing(Store::name).thenComparing(Store::namespace);

  /** The condition types in label order, as their series are sorted. */
  static final List<String> CONDITION_ORDER = OperatorMetrics.CONDITIONS.stream().sorted().toList();

  private static final MetricMetadata FAILING =
      new MetricMetadata(
          "artifactstore_store_failing",
          "1 when the store's last reconcile failed (Azure error or failed operation)");
  private static final MetricMetadata CONDITION =
      new MetricMetadata("artifactstore_store_condition", "1 when the store's condition is True");
  private static final MetricMetadata READY =
      new MetricMetadata(
          "artifactstore_store_ready", "1 when the store is Ready at its current generation");
  private static final MetricMetadata STALLED =
      new MetricMetadata(
          "artifactstore_store_stalled",
          "1 while the store is Stalled, labelled with the reason (kubectl describe shows the"
              + " message)");
  private static final MetricMetadata REPLICA_READY =
      new MetricMetadata(
          "artifactstore_replica_ready", "1 when the replica is Succeeded and Ready");

  private final Map<String, Store> stores = new ConcurrentHashMap<>();

  void put(Store store) {
    stores.put(key(store.namespace(), store.name()), store);
  }

  /** Whether a store's gauges would change: a resync that changed nothing skips the put. */
  boolean holds(Store store) {
    return store.equals(stores.get(key(store.namespace(), store.name())));
  }

  void remove(String namespace, String name) {
    stores.remove(key(namespace, name));
  }

  private static String key(String namespace, String name) {
    return namespace + '/' + name;
  }

  @Override
  public MetricSnapshots collect() {
    List<GaugeDataPointSnapshot> failing = new ArrayList<>(stores.size());
    List<GaugeDataPointSnapshot> conditions = new ArrayList<>(stores.size() * 6);
    List<GaugeDataPointSnapshot> ready = new ArrayList<>(stores.size());
    List<GaugeDataPointSnapshot> stalled = new ArrayList<>();
    List<GaugeDataPointSnapshot> replicas = new ArrayList<>(stores.size());
    int readyIndex = CONDITION_ORDER.indexOf("Ready");
    List<Store> sorted = new ArrayList<>(stores.values());
    sorted.sort(LABEL_ORDER);
    for (Store s : sorted) {
      failing.add(point(s, s.failing(), "", ""));
      for (int i = 0; i < CONDITION_ORDER.size(); i++) {
        conditions.add(point(s, s.isTrue(i), "type", CONDITION_ORDER.get(i)));
      }
      ready.add(point(s, s.isTrue(readyIndex), "", ""));
      if (s.stalledReason() != null) {
        stalled.add(point(s, true, "reason", s.stalledReason()));
      }
      s.replicasReady().forEach((region, up) -> replicas.add(point(s, up, "region", region)));
    }
    List<MetricSnapshot> out = new ArrayList<>(5);
    add(out, FAILING, failing);
    add(out, CONDITION, conditions);
    add(out, READY, ready);
    add(out, STALLED, stalled);
    add(out, REPLICA_READY, replicas);
    return new MetricSnapshots(out);
  }

  private static GaugeDataPointSnapshot point(Store s, boolean value, String label, String v) {
    Labels labels =
        label.isEmpty()
            ? Labels.of("name", s.name(), "namespace", s.namespace())
            : Labels.of("name", s.name(), "namespace", s.namespace(), label, v);
    return new GaugeDataPointSnapshot(value ? 1 : 0, labels, null);
  }

  /** A metric with no series is left out, as a meter never registered was. */
  private static void add(
      List<MetricSnapshot> out, MetricMetadata metadata, List<GaugeDataPointSnapshot> points) {
    if (!points.isEmpty()) {
      out.add(new GaugeSnapshot(metadata, points));
    }
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(
        FAILING.getPrometheusName(),
        CONDITION.getPrometheusName(),
        READY.getPrometheusName(),
        STALLED.getPrometheusName(),
        REPLICA_READY.getPrometheusName());
  }
}
