package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.reconcile.ArtifactStoreReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a store's status as one JSON Patch, {@code add /status}, which replaces the whole status
 * (RFC 6902: adding a member that exists replaces it). Nothing is read first and no diff is
 * computed, so nothing in it comes from a copy of the store that may be a moment old: a patch
 * computed from such a copy can name fields the server no longer has, and then fails over and over.
 * Not a merge patch: it would keep the fields the new status no longer has.
 *
 * <p>It carries the resourceVersion of the store the status was computed from (JSON Patch {@code
 * add /metadata/resourceVersion}, which the API server takes as a precondition): if the store
 * changed since, the write is refused with 409 Conflict and nothing is overwritten, so an
 * observation made from an older copy never replaces a newer one.
 *
 * <p>Sent with the client's own HTTP client (its authentication included) and its answer not turned
 * back into a store: a build writes each store's status about ten times, and the informer brings
 * the store back anyway.
 */
final class StatusPatch implements ArtifactStoreReconciler.StatusWriter {
  private static final String JSON_PATCH = "application/json-patch+json";

  private final KubernetesClient client;
  private final HttpClient http;

  /** {@code .../apis/GROUP/VERSION/namespaces/}: the stores' URLs but for namespace and name. */
  private final String namespaces;

  private final long timeoutMillis;

  StatusPatch(KubernetesClient client) {
    this.client = client;
    this.http = client.getHttpClient();
    String master = client.getConfiguration().getMasterUrl();
    this.namespaces =
        (master.endsWith("/") ? master : master + "/")
            + "apis/"
            + HasMetadata.getGroup(ArtifactStore.class)
            + "/"
            + HasMetadata.getVersion(ArtifactStore.class)
            + "/namespaces/";
    int timeout = client.getConfiguration().getRequestTimeout();
    this.timeoutMillis = timeout > 0 ? timeout : 10_000;
  }

  @Override
  public void write(ArtifactStore store, ArtifactStoreStatus status) {
    String resourceVersion = store.getMetadata().getResourceVersion();
    List<Map<String, Object>> ops = new ArrayList<>(2);
    if (resourceVersion != null) {
      ops.add(Map.of("op", "add", "path", "/metadata/resourceVersion", "value", resourceVersion));
    }
    ops.add(Map.of("op", "add", "path", "/status", "value", status));
    String patch = client.getKubernetesSerialization().asJson(ops);
    String url =
        namespaces
            + store.getMetadata().getNamespace()
            + "/"
            + HasMetadata.getPlural(ArtifactStore.class)
            + "/"
            + store.getMetadata().getName()
            + "/status";
    HttpRequest request =
        http.newHttpRequestBuilder().uri(url).method("PATCH", JSON_PATCH, patch).build();
    HttpResponse<byte[]> response;
    try {
      response = http.sendAsync(request, byte[].class).get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KubernetesClientException.launderThrowable(e);
    } catch (ExecutionException | TimeoutException e) {
      throw KubernetesClientException.launderThrowable(e);
    }
    if (response.code() >= 300) {
      byte[] body = response.body();
      throw new KubernetesClientException(
          "Writing the status of "
              + store.getMetadata().getNamespace()
              + "/"
              + store.getMetadata().getName()
              + " failed: "
              + response.code()
              + " "
              + (body == null ? "" : new String(body, StandardCharsets.UTF_8)),
          response.code(),
          null);
    }
  }
}
