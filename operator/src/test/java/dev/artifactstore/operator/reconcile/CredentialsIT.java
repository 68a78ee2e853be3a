package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.metrics.OperatorMetrics;
import dev.artifactstore.simulator.arm.LatencyProfile;
import dev.artifactstore.simulator.faults.Faults;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Credentials from a store's Secret, refused credentials and missing permissions: each stalls with
 * its reason and recovers once fixed, and a secret value never shows up in logs, events, status or
 * metrics.
 */
class CredentialsIT {
  static final String MARKER = "MARKER-5ecret-9d2f7c1b";
  static Testbed bed;
  static OperatorMetrics metrics = new OperatorMetrics(Clock.systemUTC());
  static ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ((Logger) LoggerFactory.getLogger("dev.artifactstore"))
        .setLevel(ch.qos.logback.classic.Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    bed =
        new Testbed(
            new ReconcileSettings(Duration.ofMinutes(10), Duration.ofSeconds(2), 0.1),
            LatencyProfile.instant(),
            o ->
                o.client("artifactstore-operator", "simulated-secret")
                    .client("publisher-app", "right-secret"),
            metrics);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    bed.close();
  }

  private static void secret(String name, String clientSecret) {
    bed.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(Testbed.NAMESPACE)
                .withLabels(Map.of(ReconcileChain.CredentialSecrets.LABEL, "true"))
                .endMetadata()
                .withStringData(
                    Map.of(
                        "tenantId",
                        "11111111-1111-1111-1111-111111111111",
                        "clientId",
                        "publisher-app",
                        "clientSecret",
                        clientSecret))
                .build())
        .createOr(r -> r.update());
  }

  @Test
  void wrongSecretStallsAsAuthenticationFailedAndRecoversWhenFixedWithoutLeakingIt() {
    secret("publisher-sp", MARKER);
    ArtifactStore store =
        Testbed.store(
            "with-secret", "itsecret1", "eastus", ReplicationStrategy.SingleReplication, false);
    store.getSpec().setCredentialsSecretRef(new SecretReference("publisher-sp"));
    bed.create(store);

    ArtifactStore stalled =
        bed.awaitCondition(
            "with-secret",
            Conditions.STALLED,
            "True",
            "AuthenticationFailed",
            Duration.ofSeconds(60));
    assertTrue(
        bed.journal("itsecret1", e -> true).isEmpty(),
        "nothing reached ARM with a refused credential");

    secret("publisher-sp", "right-secret");
    bed.awaitReady("with-secret", Duration.ofSeconds(60));

    String everything =
        logs.list.stream()
                .map(
                    e ->
                        e.getFormattedMessage()
                            + " "
                            + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage()))
                .reduce("", String::concat)
            + Serialization.asYaml(stalled.getStatus())
            + Serialization.asYaml(bed.get("with-secret").getStatus())
            + bed.client.v1().events().inNamespace(Testbed.NAMESPACE).list().getItems().stream()
                .map(e -> e.getMessage())
                .reduce("", String::concat)
            + metrics.scrape();
    assertTrue(logs.list.size() > 0, "logs were captured");
    assertTrue(everything.contains("AuthenticationFailed"), "the refusal is reported");
    assertFalse(everything.contains(MARKER), "the secret value leaked");
    assertFalse(everything.contains("right-secret"), "the secret value leaked");
  }

  @Test
  void missingPermissionStallsNamingItAndRecoversOnceGranted() {
    String action = "Microsoft.ContainerRegistry/registries/write";
    bed.simulator
        .faults()
        .failNextRequests(
            1,
            new Faults.Match("PUT", "/registries/itauthz1"),
            new Faults.Failure(
                403,
                "AuthorizationFailed",
                "The client 'artifactstore-operator' does not have authorization to perform action '"
                    + action
                    + "' over scope '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/contoso-artifacts'."));
    bed.create(
        Testbed.store("authz", "itauthz1", "eastus", ReplicationStrategy.SingleReplication, false));

    ArtifactStore stalled =
        bed.awaitCondition(
            "authz", Conditions.STALLED, "True", "AuthorizationFailed", Duration.ofSeconds(60));
    Condition c = Testbed.condition(stalled, Conditions.STALLED);
    assertTrue(c.getMessage().contains(action), c.getMessage());

    bed.awaitReady("authz", Duration.ofSeconds(60));
  }

  @Test
  void policyDenialIsRetriedSlowlyAndRecoversWhenLifted() {
    bed.simulator
        .faults()
        .failNextRequests(
            2,
            new Faults.Match("PUT", "/registries/itpolicy1"),
            new Faults.Failure(
                403,
                "RequestDisallowedByPolicy",
                "Resource 'itpolicy1' was disallowed by policy 'deny-public-registries'."));
    bed.create(
        Testbed.store(
            "policy", "itpolicy1", "eastus", ReplicationStrategy.SingleReplication, false));

    ArtifactStore stalled =
        bed.awaitCondition(
            "policy", Conditions.STALLED, "True", "PolicyDenied", Duration.ofSeconds(60));
    assertTrue(
        Testbed.condition(stalled, Conditions.STALLED)
            .getMessage()
            .contains("deny-public-registries"));

    bed.awaitReady("policy", Duration.ofSeconds(60));
    long puts = bed.journal("/registries/itpolicy1", e -> e.method().equals("PUT")).size();
    assertEquals(3, puts, "two denied attempts, then the one that worked");
  }

  private static ArtifactStore readyWithSecret(String name, String registry, String secret) {
    secret(secret, "right-secret");
    ArtifactStore store =
        Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, false);
    store.getSpec().setCredentialsSecretRef(new SecretReference(secret));
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    return bed.awaitReady(name, Duration.ofSeconds(60));
  }

  private static void deleteSecretThenStore(String secret, String store) {
    bed.client.secrets().inNamespace(Testbed.NAMESPACE).withName(secret).delete();
    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName(store)
        .delete();
  }

  @Test
  void deletionWithItsSecretGoneWaitsAsDeletingFalseAndCompletesOnceTheSecretIsBack() {
    readyWithSecret("del-nosecret", "itdelnosecret", "deleter-sp");
    deleteSecretThenStore("deleter-sp", "del-nosecret");

    ArtifactStore blocked =
        bed.awaitCondition(
            "del-nosecret",
            Conditions.DELETING,
            "False",
            "CredentialsUnavailable",
            Duration.ofSeconds(30));
    assertTrue(
        Testbed.condition(blocked, Conditions.DELETING)
            .getMessage()
            .contains("artifactstore.dev/abandon=true"));
    assertNotNull(bed.simulator.resource(bed.registryId("itdelnosecret")), "nothing deleted yet");
    assertTrue(
        bed.client.v1().events().inNamespace(Testbed.NAMESPACE).list().getItems().stream()
            .anyMatch(e -> "CredentialsUnavailable".equals(e.getReason())),
        "an Event says why deletion waits");

    secret("deleter-sp", "right-secret");
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("del-nosecret") == null);
    assertNull(bed.simulator.resource(bed.registryId("itdelnosecret")));
  }

  @Test
  void theAbandonAnnotationLetsABlockedDeletionGoAndLeavesAzureAsItIs() {
    readyWithSecret("del-abandon", "itdelabandon", "abandoned-sp");
    deleteSecretThenStore("abandoned-sp", "del-abandon");
    bed.awaitCondition(
        "del-abandon",
        Conditions.DELETING,
        "False",
        "CredentialsUnavailable",
        Duration.ofSeconds(30));
    long before = bed.simulator.journal().sequence();

    bed.annotate("del-abandon", DeleteAzureResources.ABANDON_ANNOTATION, "true");

    await().atMost(Duration.ofSeconds(30)).until(() -> bed.get("del-abandon") == null);
    assertNotNull(bed.simulator.resource(bed.registryId("itdelabandon")));
    assertEquals(
        List.of(), bed.simulator.journal().entries(e -> e.sequence() > before && e.isDelete()));
  }
}
