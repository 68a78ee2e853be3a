package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poll URL in status is followed only on the ARM endpoint the operator was configured with:
 * status can be written by anyone who may edit the store, and a poll carries the ARM token.
 */
class ForeignPollUrlIT {
  static Simulator arm;
  static Simulator elsewhere;
  static ReconcileChain chain;

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
    chain =
        new ReconcileChain(
            new AzureClients(connection, List.of()),
            RegionTable.defaults(),
            new SubscriptionGate(Clock.systemUTC()),
            Clock.systemUTC(),
            (namespace, name) -> null,
            Duration.ofSeconds(30),
            ReconcileSettings.REPLICA_CREATING_TIMEOUT,
            "test-cluster");
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
