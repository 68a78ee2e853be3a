package dev.artifactstore.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo applies each manifest in its own namespace. */
class DemoStoresTest {
  static String manifest(String name, String namespace) {
    return """
        apiVersion: artifactstore.dev/v1alpha1
        kind: ArtifactStore
        metadata:
          name: %s
        %s
        spec:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: contoso-artifacts
          location: eastus
          registryName: %s
        """
        .formatted(
            name, namespace == null ? "" : "  namespace: " + namespace, name.replace("-", ""));
  }

  @Test
  void eachStoreGoesToItsManifestsNamespaceCreatedIfMissingElseToDefault() {
    Manifests manifests = new Manifests();
    List<ArtifactStore> stores =
        List.of(
            manifests.parse("a.yaml", manifest("team-a-store", "team-a")).get(0),
            manifests.parse("b.yaml", manifest("team-b-store", "team-b")).get(0),
            manifests.parse("c.yaml", manifest("plain-store", null)).get(0));
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      KubernetesClient client = kubernetes.client();
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("team-b")
                  .addToAnnotations("artifactstore.dev/allowed-scopes", "/subscriptions/x")
                  .endMetadata()
                  .build())
          .create();

      DemoStores.apply(client, stores);

      Map<String, String> placed =
          client.resources(ArtifactStore.class).inAnyNamespace().list().getItems().stream()
              .collect(
                  Collectors.toMap(
                      s -> s.getMetadata().getName(), s -> s.getMetadata().getNamespace()));
      assertEquals(
          Map.of("team-a-store", "team-a", "team-b-store", "team-b", "plain-store", "default"),
          placed);
      assertEquals(
          new TreeSet<>(List.of("default", "team-a", "team-b")),
          client.namespaces().list().getItems().stream()
              .map(HasMetadata::getMetadata)
              .map(m -> m.getName())
              .collect(Collectors.toCollection(TreeSet::new)));
      assertEquals(
          "/subscriptions/x",
          client
              .namespaces()
              .withName("team-b")
              .get()
              .getMetadata()
              .getAnnotations()
              .get("artifactstore.dev/allowed-scopes"),
          "an existing namespace is left as it is");
      for (ArtifactStore store : stores) {
        assertNotNull(DemoStores.current(client, store), store.getMetadata().getName());
      }
    }
  }

  @Test
  void aManifestWithAnInvalidNamespaceIsRefused() {
    UserError refused =
        assertThrows(
            UserError.class,
            () -> new Manifests().parse("bad.yaml", manifest("store-one", "Team_A")));
    assertTrue(refused.getMessage().contains("metadata.namespace 'Team_A'"), refused.getMessage());
  }
}
