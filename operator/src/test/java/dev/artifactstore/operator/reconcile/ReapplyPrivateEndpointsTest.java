package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.EAST_DATA;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.LOGIN;
import static dev.artifactstore.operator.reconcile.StepFixtures.SUBNET_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.VNET_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.WEST_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.Connection;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoints created, re-applied and approved; their zone groups are in another class. */
class ReapplyPrivateEndpointsTest {
  /** What an endpoint publishes once the replica in westus serves. */
  static final Map<String, List<String>> COMPLETE =
      Map.of(
          LOGIN, List.of("10.0.0.4"),
          EAST_DATA, List.of("10.0.0.5"),
          WEST_DATA, List.of("10.0.0.6"));

  private final FakeAzure azure = new FakeAzure();
  private ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult run() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);
    return new ReapplyPrivateEndpoints().run(ctx);
  }

  private static PrivateEndpoint endpoint(String state, Map<String, List<String>> dns) {
    return FakeNetwork.endpoint(ENDPOINT, state, dns, false, SUBNET_ID, false);
  }

  private Findings.Endpoints found() {
    return ctx.findings().endpoints();
  }

  @Test
  void aStoreWithoutEndpointsCallsNothing() {
    store = StepFixtures.store(ReplicationStrategy.GeoReplication, false);

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of(), azure.calls);
    assertEquals("NotConfigured", found().fact().reason());
  }

  @Test
  void aMissingEndpointIsCreatedInItsNetworksRegion() {
    azure.network.networkRegions.put(VNET_ID, "eastus2");

    var creating = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ReapplyPrivateEndpoints.CREATING, creating.reason());
    assertEquals(FakeAzure.RETRY_AFTER, creating.after());
    assertEquals(
        List.of("GET endpoint contosoreg-pe", "GET vnet hub", "PUT endpoint contosoreg-pe"),
        azure.calls);
    assertEquals("eastus2", azure.network.endpoints.get(ENDPOINT).location());
    assertEquals(SUBNET_ID, azure.network.endpoints.get(ENDPOINT).subnetId());
    assertEquals("EndpointMissing", found().fact().reason());
    assertEquals("Creating", found().endpoints().get(0).getProvisioningState());
  }

  @Test
  void anEndpointWhoseNetworkIsMissingStallsAsInvalidSpec() {
    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(stalled.message().contains(VNET_ID));
    assertEquals("NetworkNotFound", found().fact().reason());
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aQueuedCreationGoesOutWithoutReadingTheEndpoint() {
    StepFixtures.queuedWrite(store, ENDPOINT_ID);
    azure.network.networkRegions.put(VNET_ID, "eastus");

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("GET vnet hub", "PUT endpoint contosoreg-pe"), azure.calls);
  }

  @Test
  void anEndpointLackingTheNewRegionIsReappliedExactlyAsRead() {
    PrivateEndpoint read =
        endpoint("Succeeded", Map.of(LOGIN, List.of("10.0.0.4"), EAST_DATA, List.of("10.0.0.5")));
    azure.network.add(read);

    var reapplying = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ReapplyPrivateEndpoints.REAPPLYING, reapplying.reason());
    assertTrue(reapplying.message().contains("lacks " + WEST_DATA), reapplying.message());
    assertEquals(
        List.of("GET endpoint contosoreg-pe", "PUT endpoint contosoreg-pe as read"), azure.calls);
    assertSame(read, azure.network.reapplied.get(0));
    assertEquals("EndpointIncomplete", found().fact().reason());
  }

  @Test
  void anEndpointIsCompleteWithoutTheDataEndpointOfAReplicaNotYetServing() {
    azure.network.add(
        endpoint("Succeeded", Map.of(LOGIN, List.of("10.0.0.4"), EAST_DATA, List.of("10.0.0.5"))));
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, false);

    new ReapplyPrivateEndpoints().run(ctx);

    assertEquals(List.of(), azure.network.reapplied);
  }

  @Test
  void aFailedEndpointIsWrittenAgain() {
    azure.network.add(endpoint("Failed", COMPLETE));

    var reapplying = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ReapplyPrivateEndpoints.REAPPLYING, reapplying.reason());
    assertEquals(List.of("PUT endpoint contosoreg-pe as read"), azure.calls("PUT "));
    assertEquals("EndpointFailed", found().fact().reason());
    assertEquals("Failed", found().endpoints().get(0).getProvisioningState());
  }

  @Test
  void anEndpointStillUpdatingIsWaitedFor() {
    azure.network.add(endpoint("Updating", COMPLETE));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ReapplyPrivateEndpoints.WAITING, waiting.reason());
    assertEquals(Backoff.DEFAULT_POLL, waiting.after());
    assertEquals(List.of("GET endpoint contosoreg-pe"), azure.calls);
  }

  @Test
  void aPendingConnectionIsApprovedOnTheRegistry() {
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", COMPLETE, true, SUBNET_ID, false));
    azure.registries.connections.put("conn1", new Connection("conn1", ENDPOINT_ID, "Pending"));

    var approving = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ConnectionApprovals.APPROVING, approving.reason());
    assertEquals(
        List.of(
            "GET endpoint contosoreg-pe",
            "GET connections contosoreg",
            "APPROVE connection contosoreg/conn1"),
        azure.calls);
    assertEquals("Approved", azure.registries.connections.get("conn1").status());
    assertEquals("ConnectionPending", found().fact().reason());
  }

  @Test
  void aConnectionTheIdentityMayNotApproveStallsWithTheCommandToRun() {
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", COMPLETE, true, SUBNET_ID, false));
    azure.registries.connections.put("conn1", new Connection("conn1", ENDPOINT_ID, "Pending"));
    azure.failOn(
        "APPROVE connection contosoreg/conn1",
        FakeAzure.failure(AzureFailure.Kind.AUTHORIZATION, 403, "AuthorizationFailed"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ConnectionApprovals.APPROVAL_REQUIRED, stalled.reason());
    assertTrue(
        stalled
            .message()
            .contains("az acr private-endpoint-connection approve --registry-name contosoreg"),
        stalled.message());
    assertTrue(stalled.message().contains("--name conn1"));
  }

  @Test
  void anApprovalAlreadySentIsWaitedForWithoutAskingAgain() {
    StepFixtures.lastStoppedAt(store, ConnectionApprovals.APPROVING);
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", COMPLETE, true, SUBNET_ID, false));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ConnectionApprovals.WAITING, waiting.reason());
    assertEquals(List.of("GET endpoint contosoreg-pe"), azure.calls);
  }

  @Test
  void anApprovalThatStalledIsNotSentAgain() {
    StepFixtures.lastRun(store, Conditions.STALLED, "True", ConnectionApprovals.APPROVAL_REQUIRED);
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", COMPLETE, true, SUBNET_ID, false));
    azure.registries.connections.put("conn1", new Connection("conn1", ENDPOINT_ID, "Pending"));

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals(ConnectionApprovals.APPROVAL_REQUIRED, stalled.reason());
    assertEquals(List.of(), azure.calls("APPROVE "));
  }

  @Test
  void theStepStopsAtTheFirstEndpointNotDone() {
    store
        .getSpec()
        .getPrivateEndpoints()
        .add(
            new PrivateEndpointSpec(
                "second-pe", StepFixtures.NETWORK_GROUP, SUBNET_ID, StepFixtures.ZONE_ID));
    azure.network.add(endpoint("Updating", COMPLETE));

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("GET endpoint contosoreg-pe"), azure.calls);
    assertEquals(1, found().endpoints().size());
    assertNull(found().published().get(ENDPOINT));
  }
}
