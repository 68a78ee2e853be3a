package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The stores the demo applies, and waiting for them to be Ready. */
final class DemoStores {
  private DemoStores() {}

  /** The retrofit story's store, the manifests given, or the examples. */
  static List<ArtifactStore> load(String story, List<Path> manifests) throws IOException {
    if (story != null && !story.equals("retrofit")) {
      throw new UserError("--story knows one story: retrofit.");
    }
    if (story != null && !manifests.isEmpty()) {
      throw new UserError("--story retrofit brings its own store; give no manifests with it.");
    }
    Manifests loader = new Manifests();
    List<ArtifactStore> stores = new ArrayList<>();
    if (story != null) {
      stores.add(retrofitStore());
    } else if (manifests.isEmpty()) {
      stores.addAll(loader.examples());
    } else {
      for (Path manifest : manifests) {
        stores.addAll(loader.load(manifest));
      }
    }
    return stores;
  }

  /**
   * Creates each store in the namespace its manifest names, else in the demo's default, creating
   * the namespace first when the API server has none of that name.
   */
  static void apply(KubernetesClient client, List<ArtifactStore> stores) {
    for (ArtifactStore store : stores) {
      ObjectMeta metadata = store.getMetadata();
      if (metadata.getNamespace() == null || metadata.getNamespace().isBlank()) {
        metadata.setNamespace(DemoCommand.NAMESPACE);
      }
      if (client.namespaces().withName(metadata.getNamespace()).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(metadata.getNamespace())
                    .endMetadata()
                    .build())
            .create();
      }
      metadata.setGeneration(1L);
      client.resource(store).create();
    }
  }

  /** The store as the API server has it now. */
  static ArtifactStore current(KubernetesClient client, ArtifactStore store) {
    return client
        .resources(ArtifactStore.class)
        .inNamespace(store.getMetadata().getNamespace())
        .withName(store.getMetadata().getName())
        .get();
  }

  /** Shows progress until every store is Ready at its generation; false at the deadline. */
  static boolean waitForReady(
      KubernetesClient client, List<ArtifactStore> stores, ProgressView view, Instant deadline)
      throws InterruptedException {
    while (true) {
      List<ArtifactStore> now = new ArrayList<>();
      boolean allReady = true;
      for (ArtifactStore s : stores) {
        ArtifactStore current = current(client, s);
        now.add(current);
        var ready = ProgressView.condition(current, "Ready");
        allReady &=
            ready != null
                && "True".equals(ready.getStatus())
                && current.getMetadata().getGeneration().equals(ready.getObservedGeneration());
      }
      view.show(now);
      if (allReady) {
        return true;
      }
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      Thread.sleep(250);
    }
  }

  static ArtifactStore retrofitStore() {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(new ObjectMetaBuilder().withName("contoso-retrofit").build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation("eastus");
    spec.setRegistryName("contosoretrofit");
    spec.setReplicationStrategy(ReplicationStrategy.SingleReplication);
    spec.setPrivateEndpoints(
        new ArrayList<>(
            List.of(
                new PrivateEndpointSpec(
                    "contosoretrofit-pe",
                    PlatformBaseline.NETWORK_GROUP,
                    PlatformBaseline.subnetId(PlatformBaseline.SUBNET),
                    PlatformBaseline.zoneId()))));
    store.setSpec(spec);
    return store;
  }
}
