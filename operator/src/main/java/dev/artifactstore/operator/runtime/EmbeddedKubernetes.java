package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.api.ArtifactStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

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
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(
                List.of(
                    CustomResourceDefinitionContext.fromCustomResourceType(ArtifactStore.class))),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new EmbeddedKubernetes(server);
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
