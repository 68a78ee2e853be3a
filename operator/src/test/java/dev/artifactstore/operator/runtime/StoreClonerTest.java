package dev.artifactstore.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreClonerTest {
  private final StoreCloner cloner = new StoreCloner(new KubernetesSerialization());

  @Test
  void aCopysMetadataIsItsOwnAndItsSpecAndStatusAreShared() {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(
        new ObjectMetaBuilder()
            .withName("a")
            .withNamespace("team-a")
            .withResourceVersion("7")
            .withFinalizers("other.example/keep")
            .withAnnotations(Map.of("artifactstore.dev/reconcile-policy", "skip"))
            .build());
    store.setSpec(new ArtifactStoreSpec());
    store.setStatus(new ArtifactStoreStatus());

    ArtifactStore copy = cloner.clone(store);
    copy.addFinalizer("artifactstore.dev/finalizer");
    copy.getMetadata().getAnnotations().remove("artifactstore.dev/reconcile-policy");
    copy.getMetadata().setResourceVersion("8");

    assertEquals(List.of("other.example/keep"), store.getMetadata().getFinalizers());
    assertEquals(
        "skip", store.getMetadata().getAnnotations().get("artifactstore.dev/reconcile-policy"));
    assertEquals("7", store.getMetadata().getResourceVersion());
    assertEquals(store.getKind(), copy.getKind());
    assertEquals(store.getApiVersion(), copy.getApiVersion());
    assertSame(store.getSpec(), copy.getSpec(), "the reconciler never changes a spec");
    assertSame(store.getStatus(), copy.getStatus(), "a status is replaced, never changed");
  }

  @Test
  void anythingElseIsCopiedWhole() {
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("m")
            .endMetadata()
            .withData(Map.of("k", "v"))
            .build();

    ConfigMap copy = cloner.clone(map);

    assertEquals(map, copy);
    assertNotSame(map.getData(), copy.getData());
  }
}
