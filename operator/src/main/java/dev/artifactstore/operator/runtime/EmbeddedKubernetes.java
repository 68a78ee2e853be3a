package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.api.ArtifactStore;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API in the process (fabric8's mock server in CRUD mode) that knows ArtifactStores:
 * what the demo and the tests run the operator against. It stores and watches objects; it does not
 * validate schemas or CEL rules, bump generations, or do server-side apply.
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  /** Starts on a free port of the loopback interface. */
  public static EmbeddedKubernetes start() {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(
                expectations,
                List.of(
                    CustomResourceDefinitionContext.fromCustomResourceType(ArtifactStore.class))),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // Callers may do anything, as a cluster admin may; leader election asks before it starts.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("*")
                .withResources("*")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    return new EmbeddedKubernetes(server);
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * A request the API answered: its method, its path with the query, and the bearer token it
   * carried (null: none), which tells whose it was.
   */
  public record Request(String method, String path, String token) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** The requests answered since the last call ("GET /api/v1/..."), oldest first. */
  public List<String> drainRequests() {
    return drainRequestsWithTokens().stream().map(Request::toString).toList();
  }

  /** The requests answered since the last drain, oldest first, with their tokens. */
  public List<Request> drainRequestsWithTokens() {
    List<Request> requests = new ArrayList<>();
    try {
      for (var r = server.takeRequest(0, TimeUnit.MILLISECONDS);
          r != null;
          r = server.takeRequest(0, TimeUnit.MILLISECONDS)) {
        String authorization = r.getHeader("Authorization");
        String token =
            authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length())
                : null;
        requests.add(new Request(r.getMethod(), r.getPath(), token));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }

  /**
   * Writes a kubeconfig that points at this API with {@code namespace} as the default, for an
   * operator started as a process of its own.
   */
  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    return writeKubeconfig(file, namespace, "not-a-secret");
  }

  /** A kubeconfig as above whose user presents {@code token}, to tell its requests apart. */
  public Path writeKubeconfig(Path file, String namespace, String token) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: embedded, cluster: {server: "%s"}}]
        users: [{name: embedded, user: {token: %s}}]
        contexts: [{name: embedded, context: {cluster: embedded, user: embedded, namespace: %s}}]
        current-context: embedded
        """
            .formatted(client.getMasterUrl(), token, namespace));
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
