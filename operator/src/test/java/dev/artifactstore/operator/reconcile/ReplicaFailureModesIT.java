package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.PrivateEndpointConnectionInner;
import com.azure.resourcemanager.containerregistry.models.ConnectionStatus;
import com.azure.resourcemanager.containerregistry.models.PrivateLinkServiceConnectionState;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.PrivateEndpointIpConfiguration;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.faults.Faults;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adding a replica to a registry with private endpoints, the ways Azure documents it going wrong:
 * each ends in its reason, with what a human must do, and recovers once the cause is gone.
 */
class ReplicaFailureModesIT {
  /** The operator's client id in the simulator (Testbed's default identity). */
  static final String OPERATOR = "artifactstore-operator";

  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed =
        new Testbed(
            new ReconcileSettings(
                Duration.ofMinutes(10), Duration.ofMillis(300), 0.1, Duration.ofSeconds(3)));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @AfterEach
  void clearFaults() {
    bed.simulator.faults().clear();
  }

  /** Someone else, with their own identity: the portal user, another team. */
  private static AzureProfile profile() {
    return new AzureProfile(
        bed.connection.tenantFor(null),
        PlatformBaseline.SUBSCRIPTION,
        bed.connection.environment());
  }

  private static NetworkManager network() {
    return NetworkManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(
            bed.connection.servicePrincipal(null, "someone-else", "their-secret"), profile());
  }

  private static ContainerRegistryManager registries() {
    return ContainerRegistryManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(
            bed.connection.servicePrincipal(null, "someone-else", "their-secret"), profile());
  }

  private static ArtifactStore readySingle(String name, String registry, boolean endpoint) {
    bed.create(
        Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, endpoint));
    return bed.awaitReady(name, Duration.ofSeconds(60));
  }

  private static void toGeo(String name) {
    bed.editSpec(name, s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
  }

  private static List<Journal.Entry> operatorWrites(long after) {
    return bed.simulator
        .journal()
        .entries(
            e ->
                e.sequence() > after
                    && OPERATOR.equals(e.client())
                    && (e.isWrite() || e.isDelete()));
  }

  private static String message(ArtifactStore store, String type) {
    Condition c = Testbed.condition(store, type);
    return c == null ? "" : c.getMessage();
  }

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
  void anotherTeamsStaticIpEndpointStallsBeforeAnyReplicaIsRequested() {
    readySingle("static", "itstaticip", false);
    PrivateEndpointInner theirs =
        foreignEndpoint(PlatformBaseline.subnetId(PlatformBaseline.SUBNET), "itstaticip")
            .withIpConfigurations(
                List.of(
                    new PrivateEndpointIpConfiguration()
                        .withName("login")
                        .withGroupId("registry")
                        .withMemberName("registry")
                        .withPrivateIpAddress("10.1.0.250")));
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "their-static-pe", theirs);
    long before = bed.simulator.journal().sequence();

    toGeo("static");
    ArtifactStore stalled =
        bed.awaitCondition(
            "static",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.STATIC_IP,
            Duration.ofSeconds(60));
    assertTrue(message(stalled, Conditions.STALLED).contains("their-static-pe"));
    assertEquals(List.of(), operatorWrites(before), "no replica requested");

    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "their-static-pe");
    bed.awaitReady("static", Duration.ofSeconds(90));
  }

  @Test
  void aFullSubnetUnderAnotherTeamsEndpointInAnotherNetworkStallsNamingIt() {
    readySingle("fullspoke", "itfullspoke", false);
    VirtualNetworkInner spoke =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.8.0.0/16")))
            .withSubnets(
                List.of(new SubnetInner().withName("tiny").withAddressPrefix("10.8.1.0/28")));
    spoke.withLocation("eastus");
    network()
        .serviceClient()
        .getVirtualNetworks()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "spoke", spoke);
    String tiny =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/tiny";
    // A /28 has eleven usable addresses: their endpoint to the store's registry takes two, three
    // endpoints to a geo-replicated registry three each.
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(
            PlatformBaseline.NETWORK_GROUP, "their-pe", foreignEndpoint(tiny, "itfullspoke"));
    bed.create(
        Testbed.store("filler", "itfiller", "eastus", ReplicationStrategy.GeoReplication, false));
    bed.awaitReady("filler", Duration.ofSeconds(60));
    for (int i = 1; i <= 3; i++) {
      network()
          .serviceClient()
          .getPrivateEndpoints()
          .createOrUpdate(
              PlatformBaseline.NETWORK_GROUP, "filler-pe-" + i, foreignEndpoint(tiny, "itfiller"));
    }
    long before = bed.simulator.journal().sequence();

    toGeo("fullspoke");
    ArtifactStore stalled =
        bed.awaitCondition(
            "fullspoke",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.SUBNET_FULL,
            Duration.ofSeconds(60));
    String text = message(stalled, Conditions.STALLED);
    assertTrue(text.contains("spoke/subnets/tiny") && text.contains("their-pe"), text);
    assertFalse(
        operatorWrites(before).stream().anyMatch(e -> e.path().contains("/replications/")),
        "no replica requested");

    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "filler-pe-1");
    bed.awaitReady("fullspoke", Duration.ofSeconds(90));
  }

  @Test
  void anExpiredPollUrlIsNotTakenForSuccess() {
    // A status from a run long ago: the registry's creation was started, its operation is gone
    // (ARM keeps operation statuses for a while only), and so is the registry.
    ArtifactStore store =
        Testbed.store(
            "expired", "itexpiredop", "eastus", ReplicationStrategy.SingleReplication, false);
    dev.artifactstore.operator.api.ArtifactStoreStatus status =
        new dev.artifactstore.operator.api.ArtifactStoreStatus();
    String registryId = bed.registryId("itexpiredop");
    status.setPendingOperation(
        new dev.artifactstore.operator.api.PendingOperation(
            EnsurePrimaryRegistry.CREATING,
            registryId,
            bed.simulator.endpoint()
                + registryId.substring(1)
                + "/operationStatuses/00000000-dead-beef-0000-000000000000?api-version=2025-11-01",
            java.time.Instant.now().minus(Duration.ofDays(3)).toString()));
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

  @Test
  void aRollbackForASubnetTheOperatorCouldNotCheckNamesWhatItCouldNotRead() {
    readySingle("unread", "itunread", false);
    VirtualNetworkInner other =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.9.0.0/16")))
            .withSubnets(
                List.of(new SubnetInner().withName("small").withAddressPrefix("10.9.1.0/28")));
    other.withLocation("eastus");
    network()
        .serviceClient()
        .getVirtualNetworks()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "elsewhere", other);
    String small =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/virtualNetworks/elsewhere/subnets/small";
    // A /28 has eleven usable addresses: their endpoint takes two, three endpoints to a
    // geo-replicated registry three each.
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(
            PlatformBaseline.NETWORK_GROUP, "hidden-pe", foreignEndpoint(small, "itunread"));
    bed.create(
        Testbed.store(
            "unreadfill", "itunreadfill", "eastus", ReplicationStrategy.GeoReplication, false));
    bed.awaitReady("unreadfill", Duration.ofSeconds(60));
    for (int i = 1; i <= 3; i++) {
      network()
          .serviceClient()
          .getPrivateEndpoints()
          .createOrUpdate(
              PlatformBaseline.NETWORK_GROUP,
              "unreadfill-pe-" + i,
              foreignEndpoint(small, "itunreadfill"));
    }
    bed.simulator.faults().withhold(OPERATOR, Faults.ENDPOINT_READ, true);

    toGeo("unread");
    ArtifactStore stalled =
        bed.awaitCondition(
            "unread",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.SUBNET_FULL,
            Duration.ofSeconds(60));
    String text = message(stalled, Conditions.STALLED);
    assertTrue(text.contains("rolled back") && text.contains("hidden-pe"), text);

    bed.simulator.faults().withhold(OPERATOR, Faults.ENDPOINT_READ, false);
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "unreadfill-pe-1");
    bed.awaitReady("unread", Duration.ofSeconds(90));
  }

  private static PrivateEndpointInner foreignEndpoint(String subnetId, String registry) {
    PrivateEndpointInner endpoint =
        new PrivateEndpointInner()
            .withSubnet(new SubnetInner().withId(subnetId))
            .withPrivateLinkServiceConnections(
                List.of(
                    new PrivateLinkServiceConnection()
                        .withName(registry + "-theirs")
                        .withPrivateLinkServiceId(bed.registryId(registry))
                        .withGroupIds(List.of("registry"))));
    endpoint.withLocation("eastus");
    return endpoint;
  }
}
