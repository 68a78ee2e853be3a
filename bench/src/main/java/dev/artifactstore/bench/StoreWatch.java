package dev.artifactstore.bench;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stores as the API server has them: when each became Ready, and how often the operator wrote
 * them. An informer of the bench's own, so that nothing of it depends on what the operator says.
 */
final class StoreWatch implements AutoCloseable {
  private final Map<String, Instant> readyAt = new ConcurrentHashMap<>();
  private final AtomicLong updates = new AtomicLong();

  /** When the operator first wrote a store (a new store's first reconcile adds the finalizer). */
  private final AtomicReference<Instant> firstWrite = new AtomicReference<>();

  private final SharedIndexInformer<ArtifactStore> informer;

  private StoreWatch(KubernetesClient client) {
    informer =
        client.resources(ArtifactStore.class).inNamespace(Bench.NAMESPACE).inform(new Handler());
  }

  static StoreWatch start(KubernetesClient client) {
    return new StoreWatch(client);
  }

  /** By store name, the first time it was seen Ready for its current generation. */
  Map<String, Instant> readyAt() {
    return readyAt;
  }

  /** How many of the stores {@code counted} (by name) are Ready. */
  int ready(java.util.function.Predicate<String> counted) {
    return (int) readyAt.keySet().stream().filter(counted).count();
  }

  int ready() {
    return readyAt.size();
  }

  /** When the last store became Ready; only once all are. */
  Instant allReady() {
    return readyAt.values().stream().max(Instant::compareTo).orElseThrow();
  }

  /** Writes to any store (spec, metadata or status) seen so far. */
  long writes() {
    return updates.get();
  }

  /** Null while the operator has written no store. */
  Instant firstWrite() {
    return firstWrite.get();
  }

  @Override
  public void close() {
    informer.close();
  }

  private final class Handler implements ResourceEventHandler<ArtifactStore> {
    @Override
    public void onAdd(ArtifactStore store) {
      check(store);
    }

    @Override
    public void onUpdate(ArtifactStore before, ArtifactStore after) {
      if (!Objects.equals(
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
          && Objects.equals(ready.getObservedGeneration(), store.getMetadata().getGeneration())) {
        readyAt.putIfAbsent(store.getMetadata().getName(), Instant.now());
      }
    }
  }
}
