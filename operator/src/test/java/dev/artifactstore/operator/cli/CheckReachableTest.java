package dev.artifactstore.operator.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up probe asks for one store where the stores are watched, and nowhere else. */
class CheckReachableTest {
  private static final String STORES = "/apis/" + ArtifactStore.GROUP + "/" + ArtifactStore.VERSION;
  private static final String EMPTY =
      "{\"apiVersion\":\"artifactstore.dev/v1alpha1\",\"kind\":\"ArtifactStoreList\","
          + "\"metadata\":{},\"items\":[]}";
  private static final String FORBIDDEN =
      "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Forbidden\","
          + "\"code\":403,\"message\":\"artifactstores.artifactstore.dev is forbidden\"}";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private List<String> paths() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    int count = server.getRequestCount();
    for (int i = 0; i < count; i++) {
      paths.add(server.takeRequest().getPath());
    }
    return paths;
  }

  @Test
  void watchingNamespacesListsOneStoreInEachAndNothingClusterWide() throws Exception {
    for (String namespace : List.of("team-a", "team-b")) {
      server
          .expect()
          .get()
          .withPath(STORES + "/namespaces/" + namespace + "/artifactstores?limit=1")
          .andReturn(200, EMPTY)
          .once();
    }

    assertDoesNotThrow(
        () -> RunCommand.checkReachable(client, new LinkedHashSet<>(List.of("team-a", "team-b"))));

    assertEquals(
        List.of(
            STORES + "/namespaces/team-a/artifactstores?limit=1",
            STORES + "/namespaces/team-b/artifactstores?limit=1"),
        paths());
  }

  @Test
  void watchingEverythingListsOneStoreClusterWide() throws Exception {
    server.expect().get().withPath(STORES + "/artifactstores?limit=1").andReturn(200, EMPTY).once();

    assertDoesNotThrow(() -> RunCommand.checkReachable(client, Set.of()));

    assertEquals(List.of(STORES + "/artifactstores?limit=1"), paths());
  }

  @Test
  void aNamespaceThatCannotBeListedIsNamedInTheError() {
    server
        .expect()
        .get()
        .withPath(STORES + "/namespaces/team-a/artifactstores?limit=1")
        .andReturn(200, EMPTY)
        .once();
    server
        .expect()
        .get()
        .withPath(STORES + "/namespaces/team-b/artifactstores?limit=1")
        .andReturn(403, FORBIDDEN)
        .once();

    UserError error =
        assertThrows(
            UserError.class,
            () ->
                RunCommand.checkReachable(
                    client, new LinkedHashSet<>(List.of("team-a", "team-b"))));

    assertTrue(
        error.getMessage().startsWith("cannot list ArtifactStores in namespace team-b"),
        error.getMessage());
    assertTrue(error.getMessage().contains("RBAC"), error.getMessage());
    assertEquals(1, error.exitCode());
  }
}
