package dev.artifactstore.bench;

import dev.artifactstore.operator.api.ArtifactStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The run's stores, all created in the API server before the operator starts. */
final class StoreCreation {
  private StoreCreation() {}

  static void create(
      KubernetesClient client,
      List<StoreMix.Type> kinds,
      StoreMix mix,
      Subscriptions subscriptions,
      PrintStream out) {
    Instant created = Instant.now();
    for (int i = 0; i < kinds.size(); i++) {
      client
          .resource(
              StoreMix.store(
                  Bench.NAMESPACE,
                  "",
                  i + 1,
                  kinds.get(i),
                  subscriptions.forStore(i + 1),
                  PlatformSeed.SUBNET))
          .create();
    }
    out.printf(
        Locale.ROOT,
        "created %d stores (%s) in %d subscription(s) in %.1f s%n",
        kinds.size(),
        mix,
        subscriptions.size(),
        Duration.between(created, Instant.now()).toMillis() / 1000.0);
  }

  /**
   * How long the API server takes to list the stores, in milliseconds. The operator's first
   * reconcile waits for its informer's first list of the stores, so this is part of the start-up
   * the bench measures.
   */
  static long timeListing(KubernetesClient client, PrintStream out) {
    long listed = System.nanoTime();
    int listedStores =
        client.resources(ArtifactStore.class).inNamespace(Bench.NAMESPACE).list().getItems().size();
    long listMs = (System.nanoTime() - listed) / 1_000_000;
    out.printf(
        Locale.ROOT, "the mock API server lists the %d stores in %d ms%n", listedStores, listMs);
    return listMs;
  }
}
