package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.reconcile.Tenancy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Namespaces' annotations, read with a {@code get} of the namespace and kept for {@link #FRESH}:
 * stores of one namespace share one read, and an admin's change applies within that time.
 */
final class NamespaceAnnotations implements Tenancy.NamespaceAnnotations {
  static final Duration FRESH = Duration.ofSeconds(30);

  private record Read(Map<String, String> annotations, Instant at) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  NamespaceAnnotations(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public String annotation(String namespace, String key) {
    Instant now = clock.instant();
    Read read = reads.get(namespace);
    if (read == null || read.at().plus(FRESH).isBefore(now)) {
      Namespace ns = client.namespaces().withName(namespace).get();
      Map<String, String> annotations =
          ns == null || ns.getMetadata().getAnnotations() == null
              ? Map.of()
              : Map.copyOf(ns.getMetadata().getAnnotations());
      read = new Read(annotations, now);
      reads.put(namespace, read);
    }
    return read.annotations().get(key);
  }
}
