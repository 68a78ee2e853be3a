package dev.artifactstore.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status written is the whole status: what the new one no longer has is gone. */
class StatusPatchTest {
  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  private static ArtifactStore created(String name) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setRegistryName(name.replace("-", ""));
    store.setSpec(spec);
    return client.resource(store).create();
  }

  private static Condition condition(String type) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason("Because")
        .withMessage(type + " holds.")
        .withLastTransitionTime("2026-12-07T10:00:00Z")
        .build();
  }

  private static ArtifactStore read(String name) {
    return client.resources(ArtifactStore.class).inNamespace("team-a").withName(name).get();
  }

  @Test
  void aStoreWithoutStatusGetsOne() {
    ArtifactStore store = created("first-status");
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    status.setObservedGeneration(1L);
    status.setConditions(List.of(condition("Ready")));

    new StatusPatch(client).write(store, status);

    ArtifactStore read = read("first-status");
    assertEquals(1L, read.getStatus().getObservedGeneration());
    assertEquals(List.of("Ready"), types(read));
    assertEquals(store.getSpec().getRegistryName(), read.getSpec().getRegistryName());
  }

  /**
   * Conditions [A, B] then [C] leave [C], and a pending operation no longer there is gone: a merge
   * patch would leave [A, B, C] on the mock API server and keep the operation.
   */
  @Test
  void whatTheNewStatusNoLongerHasIsGone() {
    ArtifactStore store = created("replaced-status");
    ArtifactStoreStatus before = new ArtifactStoreStatus();
    before.setConditions(List.of(condition("A"), condition("B")));
    before.setPendingOperation(
        new PendingOperation(
            "EnsurePrimaryRegistry", "/subscriptions/x", null, "2026-12-07T10:00:00Z"));
    StatusPatch writer = new StatusPatch(client);
    writer.write(store, before);
    assertNotNull(read("replaced-status").getStatus().getPendingOperation());

    ArtifactStoreStatus after = new ArtifactStoreStatus();
    after.setConditions(List.of(condition("C")));
    writer.write(read("replaced-status"), after);

    ArtifactStore read = read("replaced-status");
    assertEquals(List.of("C"), types(read));
    assertNull(read.getStatus().getPendingOperation());
  }

  /**
   * A status computed from a store that has changed since is refused with 409 Conflict and
   * overwrites nothing: an older observation never replaces a newer one.
   */
  @Test
  void aStatusComputedFromAnOlderStoreIsRefusedAndOverwritesNothing() {
    ArtifactStore older = created("older-copy");
    StatusPatch writer = new StatusPatch(client);
    ArtifactStoreStatus newer = new ArtifactStoreStatus();
    newer.setObservedGeneration(2L);
    writer.write(older, newer);

    ArtifactStoreStatus stale = new ArtifactStoreStatus();
    stale.setObservedGeneration(1L);
    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> writer.write(older, stale));

    assertEquals(409, e.getCode());
    assertEquals(2L, read("older-copy").getStatus().getObservedGeneration());
  }

  @Test
  void aStoreThatIsGoneIsA404() {
    ArtifactStore gone = new ArtifactStore();
    gone.setMetadata(new ObjectMetaBuilder().withName("gone").withNamespace("team-a").build());

    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () -> new StatusPatch(client).write(gone, new ArtifactStoreStatus()));

    assertEquals(404, e.getCode());
  }

  private static List<String> types(ArtifactStore store) {
    return store.getStatus().getConditions().stream().map(Condition::getType).toList();
  }
}
