package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import org.junit.jupiter.api.Test;

class StoreUpdatesTest {
  private final StoreUpdates filter = new StoreUpdates();

  private static ArtifactStore store() {
    ArtifactStore store =
        Testbed.store("s", "registry1", "eastus", ReplicationStrategy.SingleReplication, false);
    store.getMetadata().setGeneration(3L);
    return store;
  }

  private static ArtifactStore copy(ArtifactStore store) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(store);
  }

  @Test
  void aNewGenerationReconciles() {
    ArtifactStore before = store();
    ArtifactStore now = copy(before);
    now.getMetadata().setGeneration(4L);
    assertTrue(filter.accept(now, before));
  }

  @Test
  void aStatusWriteOrAFinalizerDoesNot() {
    ArtifactStore before = store();
    ArtifactStore now = copy(before);
    now.setStatus(new ArtifactStoreStatus());
    now.getMetadata().getFinalizers().add(ArtifactStoreReconciler.FINALIZER);
    now.getMetadata().setResourceVersion("99");
    assertFalse(filter.accept(now, before));
  }

  @Test
  void theOperatorsAnnotationsReconcileWhenAddedChangedOrRemoved() {
    ArtifactStore before = store();
    ArtifactStore paused = copy(before);
    paused.getMetadata().getAnnotations().put(HonourPause.ANNOTATION, "skip");
    assertTrue(filter.accept(paused, before));
    assertTrue(filter.accept(before, paused));
    ArtifactStore other = copy(paused);
    other.getMetadata().getAnnotations().put(HonourPause.ANNOTATION, "reconcile");
    assertTrue(filter.accept(other, paused));
  }

  @Test
  void otherAnnotationsDoNot() {
    ArtifactStore before = store();
    ArtifactStore now = copy(before);
    now.getMetadata().getAnnotations().put("argocd.argoproj.io/tracking-id", "app:x");
    assertFalse(filter.accept(now, before));
  }

  @Test
  void theStartOfDeletionDoes() {
    ArtifactStore before = store();
    ArtifactStore now = copy(before);
    now.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
    assertTrue(filter.accept(now, before));
    assertFalse(filter.accept(copy(now), now));
  }
}
