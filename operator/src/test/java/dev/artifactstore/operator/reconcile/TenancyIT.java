package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One operator, a namespace of one team: the team's stores act with the team's credentials, only
 * within the scopes the admin gave the namespace, and the operator's own identity is not theirs.
 */
class TenancyIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed =
        new Testbed(
            new ReconcileSettings(Duration.ofSeconds(5), Duration.ofSeconds(3), 0.1),
            LatencyProfile.instant(),
            o ->
                o.client("artifactstore-operator", "simulated-secret")
                    .client("team-app", "team-secret")
                    .client("namespace-app", "namespace-secret"),
            ReconcileObserver.NONE);
    bed.stopOperator();
    bed.client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(Testbed.NAMESPACE)
                .withAnnotations(
                    Map.of(
                        Tenancy.ALLOWED_SCOPES_ANNOTATION,
                        group(PlatformBaseline.ARTIFACTS_GROUP)
                            + ", "
                            + group(PlatformBaseline.NETWORK_GROUP)))
                .endMetadata()
                .build())
        .createOr(r -> r.update());
    bed.operatorIdentityNamespaces = Set.of("platform");
    bed.startOperator();
    bed.kubernetes.drainRequests();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static String group(String name) {
    return "/subscriptions/" + PlatformBaseline.SUBSCRIPTION + "/resourceGroups/" + name;
  }

  private static void secret(String name, String clientId, String clientSecret, boolean labelled) {
    Map<String, String> labels = new HashMap<>();
    if (labelled) {
      labels.put(ReconcileChain.CredentialSecrets.LABEL, "true");
    }
    bed.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(Testbed.NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withStringData(
                    Map.of(
                        "tenantId",
                        "11111111-1111-1111-1111-111111111111",
                        "clientId",
                        clientId,
                        "clientSecret",
                        clientSecret))
                .build())
        .createOr(r -> r.update());
  }

  private static ArtifactStore teamStore(String name, String registry) {
    ArtifactStore store =
        Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, false);
    store.getSpec().setCredentialsSecretRef(new SecretReference("team-sp"));
    return store;
  }

  /** The identities that sent ARM requests about {@code registry}. */
  private static Set<String> clientsOf(String registry) {
    return bed.journal(registry, e -> true).stream()
        .map(Journal.Entry::client)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void withoutSecretsAStoreMayNotUseTheOperatorsIdentityThenTheNamespacesSecretServes() {
    bed.create(
        Testbed.store("plain", "itplain1", "eastus", ReplicationStrategy.SingleReplication, false));
    ArtifactStore stalled =
        bed.awaitCondition(
            "plain",
            Conditions.STALLED,
            "True",
            ResolveCredentials.REQUIRED,
            Duration.ofSeconds(30));
    assertTrue(
        Conditions.find(stalled.getStatus().getConditions(), Conditions.STALLED)
            .getMessage()
            .contains(ResolveCredentials.NAMESPACE_SECRET));
    assertEquals(List.of(), bed.journal("itplain1", e -> true), "zero ARM requests");

    secret(ResolveCredentials.NAMESPACE_SECRET, "namespace-app", "namespace-secret", true);

    bed.awaitReady("plain", Duration.ofSeconds(60));
    assertEquals(Set.of("namespace-app"), clientsOf("itplain1"));
  }

  @Test
  void theSpecsSecretComesFirstAndARotationReachesTheStoreWithoutAnySecretRead() {
    secret("team-sp", "team-app", "wrong-secret", true);
    bed.create(teamStore("team", "itteam1"));
    bed.awaitCondition(
        "team", Conditions.STALLED, "True", "AuthenticationFailed", Duration.ofSeconds(30));
    bed.kubernetes.drainRequests();

    secret("team-sp", "team-app", "team-secret", true);
    // The test's own write of the Secret reads it first; only the operator's requests count.
    bed.kubernetes.drainRequests();

    bed.awaitReady("team", Duration.ofSeconds(60));
    assertEquals(Set.of("team-app"), clientsOf("itteam1"));
    List<String> secretReads =
        bed.kubernetes.drainRequests().stream()
            .filter(r -> r.startsWith("GET /api/v1/namespaces/" + Testbed.NAMESPACE + "/secrets"))
            .toList();
    assertEquals(List.of(), secretReads, "the rotated Secret came by the watch");
  }

  @Test
  void aNamedSecretWithoutTheLabelStallsUntilItIsLabelled() {
    secret("unlabelled-sp", "team-app", "team-secret", false);
    ArtifactStore store =
        Testbed.store(
            "unlabelled", "itunlab1", "eastus", ReplicationStrategy.SingleReplication, false);
    store.getSpec().setCredentialsSecretRef(new SecretReference("unlabelled-sp"));
    bed.create(store);
    bed.awaitCondition(
        "unlabelled",
        Conditions.STALLED,
        "True",
        ResolveCredentials.NOT_LABELLED,
        Duration.ofSeconds(30));
    assertEquals(List.of(), bed.journal("itunlab1", e -> true), "zero ARM requests");

    secret("unlabelled-sp", "team-app", "team-secret", true);

    bed.awaitReady("unlabelled", Duration.ofSeconds(60));
  }

  @Test
  void aStoreOutsideItsNamespacesScopesStallsWithoutAnyArmRequest() {
    secret("team-sp", "team-app", "team-secret", true);
    ArtifactStore store = teamStore("outside", "itoutside1");
    store.getSpec().setResourceGroup("another-teams-group");
    bed.create(store);

    ArtifactStore stalled =
        bed.awaitCondition(
            "outside", Conditions.STALLED, "True", CheckScopes.NOT_ALLOWED, Duration.ofSeconds(30));

    String message =
        Conditions.find(stalled.getStatus().getConditions(), Conditions.STALLED).getMessage();
    assertTrue(message.contains("registry " + group("another-teams-group")), message);
    assertEquals(List.of(), bed.journal("itoutside1", e -> true), "zero ARM requests");
  }
}
