package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.resourcemanager.containerregistry.fluent.models.PrivateEndpointConnectionInner;
import com.azure.resourcemanager.containerregistry.models.ConnectionStatus;
import com.azure.resourcemanager.containerregistry.models.PrivateLinkServiceConnectionState;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.faults.Faults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new replica's connections, a replica stuck Creating, and an operation Azure forgot. */
class ReplicaFailureModesIT extends ReplicaFailureModes {
  @Test
  void aConnectionLeftPendingByTheNewReplicaIsApprovedOnTheRegistryOnce() {
    readySingle("pending-ok", "itpendingok", true);
    bed.simulator.faults().setPendingAfterReplica(true);
    long before = bed.simulator.journal().sequence();

    toGeo("pending-ok");
    bed.awaitReady("pending-ok", Duration.ofSeconds(90));

    List<Journal.Entry> approvals =
        operatorWrites(before).stream()
            .filter(e -> e.path().contains("/privateEndpointConnections/"))
            .toList();
    assertEquals(1, approvals.size(), approvals.toString());
    assertEquals(
        1,
        operatorWrites(before).stream()
            .filter(e -> e.path().toLowerCase().endsWith("/privateendpoints/itpendingok-pe"))
            .count(),
        "one re-apply for the new region, none for the pending connection");
  }

  @Test
  void aPendingConnectionTheOperatorMayNotApproveStallsWithTheCommandAndWritesNothing() {
    readySingle("pending-denied", "itpendingno", true);
    bed.simulator.faults().setPendingAfterReplica(true);
    bed.simulator.faults().withhold(OPERATOR, Faults.APPROVAL_ACTION, true);

    toGeo("pending-denied");
    ArtifactStore stalled =
        bed.awaitCondition(
            "pending-denied",
            Conditions.STALLED,
            "True",
            ConnectionApprovals.APPROVAL_REQUIRED,
            Duration.ofSeconds(90));
    assertTrue(
        message(stalled, Conditions.STALLED)
            .contains(
                "az acr private-endpoint-connection approve --registry-name itpendingno"
                    + " --resource-group "
                    + PlatformBaseline.ARTIFACTS_GROUP
                    + " --name itpendingno."),
        message(stalled, Conditions.STALLED));

    long stalledAt = bed.simulator.journal().sequence();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                bed.journal("/privateEndpoints/itpendingno-pe", e -> e.sequence() > stalledAt)
                        .size()
                    >= 10);
    assertEquals(List.of(), operatorWrites(stalledAt), "no write over ten stalled retries");

    // A human runs the command.
    String connection =
        registries()
            .serviceClient()
            .getPrivateEndpointConnections()
            .list(PlatformBaseline.ARTIFACTS_GROUP, "itpendingno")
            .stream()
            .findFirst()
            .orElseThrow()
            .name();
    registries()
        .serviceClient()
        .getPrivateEndpointConnections()
        .createOrUpdate(
            PlatformBaseline.ARTIFACTS_GROUP,
            "itpendingno",
            connection,
            new PrivateEndpointConnectionInner()
                .withPrivateLinkServiceConnectionState(
                    new PrivateLinkServiceConnectionState()
                        .withStatus(ConnectionStatus.APPROVED)
                        .withDescription("approved by the registry owner")));
    bed.awaitReady("pending-denied", Duration.ofSeconds(60));
  }

  @Test
  void aReplicaStuckCreatingStallsAndIsRecreatedWhenTheStoreAsks() {
    readySingle("stuck", "itstuckrep", true);
    bed.simulator.faults().withhold(OPERATOR, Faults.PROXY_WRITE, true);

    toGeo("stuck");
    ArtifactStore stalled =
        bed.awaitCondition(
            "stuck", Conditions.STALLED, "True", EnsurePairedReplica.STUCK, Duration.ofSeconds(60));
    assertTrue(
        message(stalled, Conditions.STALLED).contains("privateLinkServiceProxies/write"),
        message(stalled, Conditions.STALLED));

    bed.simulator.faults().withhold(OPERATOR, Faults.PROXY_WRITE, false);
    long before = bed.simulator.journal().sequence();
    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("stuck")
        .edit(
            s -> {
              s.getMetadata()
                  .setAnnotations(Map.of(EnsurePairedReplica.RECREATE_ANNOTATION, "true"));
              return s;
            });

    ArtifactStore ready = bed.awaitReady("stuck", Duration.ofSeconds(90));
    List<Journal.Entry> writes = operatorWrites(before);
    assertTrue(
        writes.stream().anyMatch(e -> e.isDelete() && e.path().endsWith("/replications/westus")),
        writes.toString());
    assertTrue(
        writes.stream()
            .anyMatch(e -> e.method().equals("PUT") && e.path().endsWith("/replications/westus")),
        writes.toString());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              var annotations = bed.get("stuck").getMetadata().getAnnotations();
              return annotations == null
                  || !annotations.containsKey(EnsurePairedReplica.RECREATE_ANNOTATION);
            });
    assertEquals("Ready", ready.getStatus().getReplicas().get(0).getDisplayStatus());
  }

  @Test
  void anExpiredPollUrlIsNotTakenForSuccess() {
    // A status from a run long ago: the registry's creation was started, its operation is gone
    // (ARM keeps operation statuses for a while only), and so is the registry.
    ArtifactStore store =
        Testbed.store(
            "expired", "itexpiredop", "eastus", ReplicationStrategy.SingleReplication, false);
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    String registryId = bed.registryId("itexpiredop");
    status.setPendingOperation(
        new PendingOperation(
            EnsurePrimaryRegistry.CREATING,
            registryId,
            bed.simulator.endpoint()
                + registryId.substring(1)
                + "/operationStatuses/00000000-dead-beef-0000-000000000000?api-version=2025-11-01",
            Instant.now().minus(Duration.ofDays(3)).toString()));
    store.setStatus(status);
    long before = bed.simulator.journal().sequence();

    bed.create(store);
    bed.awaitReady("expired", Duration.ofSeconds(60));

    List<Journal.Entry> calls = bed.journal("/registries/itexpiredop", e -> e.sequence() > before);
    assertTrue(
        calls.stream()
            .anyMatch(
                e ->
                    e.method().equals("GET")
                        && e.status() == 404
                        && e.path().endsWith("/registries/itexpiredop")),
        "the registry was read: " + calls);
    assertTrue(
        calls.stream().anyMatch(e -> e.method().equals("PUT") && e.status() < 300),
        "and created: " + calls);
  }
}
