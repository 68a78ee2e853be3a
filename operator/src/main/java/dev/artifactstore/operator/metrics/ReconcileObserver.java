package dev.artifactstore.operator.metrics;

import dev.artifactstore.operator.api.ArtifactStore;
import java.time.Duration;

/** Told about every reconcile and deletion; metrics and the demo listen. */
public interface ReconcileObserver {
  /**
   * A reconcile ended with {@code result} (Ready, Progressing, Stalled or Failed) after {@code
   * took}.
   */
  void reconciled(ArtifactStore store, String result, Duration took);

  /** The store is gone from Kubernetes. */
  void deleted(ArtifactStore store);

  ReconcileObserver NONE =
      new ReconcileObserver() {
        @Override
        public void reconciled(ArtifactStore store, String result, Duration took) {}

        @Override
        public void deleted(ArtifactStore store) {}
      };
}
