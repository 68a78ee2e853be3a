package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.faults.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an answer or the status asks of the operator is bounded: a poll URL in status is followed
 * only on the ARM endpoint the operator was configured with (status can be written by anyone who
 * may edit the store, and a poll carries the ARM token), and no Retry-After holds a store, a
 * subscription or a reconcile thread longer than five minutes.
 */
class UntrustedArmAnswersIT {
  static Simulator arm;
  static Simulator elsewhere;
  static AzureClients clients;
  static ReconcileChain chain;

  /** The registries' list and each registry: a store learns its registry from one or the other. */
  private static final String REGISTRIES = "/providers/Microsoft.ContainerRegistry/registries";

  @BeforeAll
  static void start() throws Exception {
    arm = Simulator.start(Simulator.options().port(0).dataDir(Files.createTempDirectory("arm")));
    elsewhere =
        Simulator.start(Simulator.options().port(0).dataDir(Files.createTempDirectory("other")));
    // The operator trusts both servers, so only the host check keeps the poll from the other one.
    Path bothCas = Files.createTempFile("cas", ".pem");
    Files.writeString(
        bothCas,
        Files.readString(arm.caCertificate()) + Files.readString(elsewhere.caCertificate()));
    AzureConnection connection =
        AzureConnection.custom(
            arm.endpoint(),
            bothCas,
            new AzureConnection.DefaultIdentity(null, "artifactstore-operator", "s"));
    PlatformBaseline.create(connection);
    clients = new AzureClients(connection, List.of());
    chain = chain(new SubscriptionGate(Clock.systemUTC()));
  }

  private static ReconcileChain chain(SubscriptionGate gate) {
    return new ReconcileChain(
        clients,
        RegionTable.defaults(),
        gate,
        Clock.systemUTC(),
        (namespace, name) -> null,
        Tenancy.open(),
        Duration.ofSeconds(30),
        ReconcileSettings.REPLICA_CREATING_TIMEOUT,
        "test-cluster");
  }

  private static ArtifactStore newStore(String name, String registry) {
    ArtifactStore store =
        Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, false);
    store.getMetadata().setGeneration(1L);
    return store;
  }

  @Test
  void aThrottleAskingForADayPausesTheSubscriptionForFiveMinutesAndSaysSo() {
    SubscriptionGate gate = new SubscriptionGate(Clock.systemUTC());
    arm.faults()
        .failNextRequests(
            1,
            new Faults.Match("GET", REGISTRIES),
            new Faults.Failure(
                429,
                "SubscriptionRequestsThrottled",
                "Number of 'read' requests exceeded.",
                86_400));

    ReconcileChain.Run run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> chain(gate).run(newStore("daylong", "itdaylong429")));

    StepResult.Progressing waiting = assertInstanceOf(StepResult.Progressing.class, run.result());
    assertEquals(AwaitArmBudget.WAITING_FOR_BUDGET, waiting.reason());
    assertEquals(Backoff.MAX_WAIT, waiting.after());
    assertTrue(waiting.message().contains("ARM asked for 86400.0 s"), waiting.message());
    assertTrue(waiting.message().contains("capped at 5 min"), waiting.message());
    Duration paused = gate.remaining(PlatformBaseline.SUBSCRIPTION);
    assertTrue(
        paused.compareTo(Backoff.MAX_WAIT) <= 0 && paused.compareTo(Duration.ofMinutes(4)) > 0,
        "the subscription pauses for five minutes, not a day: " + paused);
  }

  @Test
  void anUnavailableAnswerAskingForADayIsNotWaitedOutInsideTheCall() {
    arm.faults()
        .failNextRequests(
            1,
            new Faults.Match("GET", REGISTRIES),
            new Faults.Failure(503, "ServiceUnavailable", "Try again tomorrow.", 86_400));
    long before = arm.journal().sequence();

    ReconcileChain.Run run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                chain(new SubscriptionGate(Clock.systemUTC()))
                    .run(newStore("unavailable", "itdaylong503")));

    assertEquals(
        1,
        arm.journal().entries(e -> e.sequence() > before && e.path().contains(REGISTRIES)).size(),
        "not retried inside the call");
    StepResult.Failed failed = assertInstanceOf(StepResult.Failed.class, run.result());
    assertEquals("AzureUnavailable", failed.reason());
    assertTrue(failed.after().compareTo(Backoff.MAX_WAIT) <= 0, "requeued after " + failed.after());
  }

  @AfterAll
  static void stop() {
    arm.close();
    elsewhere.close();
  }

  @Test
  void aPollUrlOnAnotherHostIsNeverRequestedAndTheRegistryIsReadInstead() {
    ArtifactStore store =
        Testbed.store(
            "foreign", "itforeignpoll", "eastus", ReplicationStrategy.SingleReplication, false);
    store.getMetadata().setGeneration(1L);
    String foreign =
        elsewhere.endpoint()
            + "subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/providers/Microsoft.ContainerRegistry/locations/eastus/operationResults/x"
            + "?api-version=2023-07-01";
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    status.setPendingOperation(
        new PendingOperation(
            EnsurePrimaryRegistry.CREATING,
            "/subscriptions/" + PlatformBaseline.SUBSCRIPTION + "/x",
            foreign,
            Clock.systemUTC().instant().toString()));
    store.setStatus(status);
    long before = arm.journal().sequence();

    ReconcileChain.Run run = chain.run(store);

    assertEquals(List.of(), elsewhere.journal().entries(), "nothing sent to the other host");
    assertTrue(
        arm.journal()
                .entries(
                    e ->
                        e.sequence() > before
                            && e.method().equals("GET")
                            && e.path().endsWith("/registries/itforeignpoll"))
                .size()
            == 1,
        "the registry is read instead");
    StepResult.Progressing creating = assertInstanceOf(StepResult.Progressing.class, run.result());
    assertEquals(EnsurePrimaryRegistry.CREATING, creating.reason());
    assertEquals(
        List.of(OperationState.FOREIGN_POLL_URL),
        run.context().notices.stream().map(StoreContext.Notice::reason).toList());
    assertTrue(run.context().notices.get(0).message().contains(elsewhere.endpoint()));
  }
}
