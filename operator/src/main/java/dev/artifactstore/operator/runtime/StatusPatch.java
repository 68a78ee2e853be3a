package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.reconcile.ArtifactStoreReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Writes a store's status as one JSON Patch, {@code add /status}, which replaces the whole status
 * (RFC 6902: adding a member that exists replaces it). Nothing is read first and no diff is
 * computed, so nothing in it comes from a copy of the store that may be a moment old: a patch
 * computed from such a copy can name fields the server no longer has, and then fails over and over.
 * Not a merge patch: it would keep the fields the new status no longer has.
 */
final class StatusPatch implements ArtifactStoreReconciler.StatusWriter {
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;

  StatusPatch(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(ArtifactStore store, ArtifactStoreStatus status) {
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    client
        .resources(ArtifactStore.class)
        .inNamespace(store.getMetadata().getNamespace())
        .withName(store.getMetadata().getName())
        .subresource("status")
        .patch(JSON_PATCH, patch);
  }
}
