package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which changes of a store are worth a reconcile: its spec (a new generation), its {@code
 * artifactstore.dev/} annotations (pause, resume, recreate, take over, abandon), and the start of
 * its deletion. Status writes, the operator's own finalizer write and annotations of other tools
 * are not. The framework's generation filter alone would ignore annotations, so pausing or resuming
 * a store would wait for its next resync.
 */
public final class StoreUpdates implements OnUpdateFilter<ArtifactStore> {
  static final String PREFIX = "artifactstore.dev/";

  @Override
  public boolean accept(ArtifactStore now, ArtifactStore before) {
    return generation(now) > generation(before)
        || (now.isMarkedForDeletion() && !before.isMarkedForDeletion())
        || !ours(now).equals(ours(before));
  }

  private static long generation(ArtifactStore store) {
    Long generation = store.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static Map<String, String> ours(ArtifactStore store) {
    Map<String, String> annotations = store.getMetadata().getAnnotations();
    Map<String, String> ours = new TreeMap<>();
    if (annotations != null) {
      annotations.forEach(
          (key, value) -> {
            if (key.startsWith(PREFIX)) {
              ours.put(key, Objects.requireNonNullElse(value, ""));
            }
          });
    }
    return ours;
  }
}
