package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.PrivateEndpointConnectionInner;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.containerregistry.models.ConnectionStatus;
import com.azure.resourcemanager.containerregistry.models.PrivateLinkServiceConnectionState;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateEndpointIpConfiguration;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import dev.artifactstore.simulator.faults.Faults;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How adding a replica to a registry with private endpoints goes wrong in Azure (shared/AZURE.md,
 * "Private link as Azure really behaves"): static IPs, a full subnet under anyone's endpoint, a
 * connection waiting for approval, a replica stuck Creating without
 * privateLinkServiceProxies/write; and the REST specs' shapes of registry PATCH, replication DELETE
 * and data endpoints.
 */
class PrivateLinkFailureModesTest {
  static final String RG = "modes-rg";
  static final String CLIENT = "11111111-2222-3333-4444-555555555555";
  static final String NET =
      "/subscriptions/"
          + Simulator.DEFAULT_SUBSCRIPTION
          + "/resourceGroups/"
          + RG
          + "/providers/Microsoft.Network";

  @TempDir static Path dataDir;
  static Simulator simulator;
  static ContainerRegistryManager acr;
  static NetworkManager network;
  static ArmHttp http;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .stateFile(dataDir.resolve(StateRecovery.STATE_FILE))
                .replicaCooldown(java.time.Duration.ZERO));
    AzureSdk sdk = new AzureSdk(simulator);
    http = new ArmHttp(simulator);
    sdk.resources().resourceGroups().define(RG).withRegion(Region.US_EAST).create();
    acr = sdk.registries();
    network = sdk.network();
    network
        .networks()
        .define("hub")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup(RG)
        .withAddressSpace("10.1.0.0/16")
        .withSubnet("wide", "10.1.0.0/24")
        .create();
    // Another team's network, with a subnet that fills up.
    network
        .networks()
        .define("spoke")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup(RG)
        .withAddressSpace("10.7.0.0/16")
        .withSubnet("tiny", "10.7.1.0/29")
        .create();
  }

  @AfterEach
  void whatIsHeldSurvivesAKill() {
    StateRecovery.assertRecoverable(simulator, dataDir);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @AfterEach
  void clearFaults() {
    simulator.faults().clear();
  }

  private static String registry(String name) {
    return acr.serviceClient()
        .getRegistries()
        .create(
            RG,
            name,
            new RegistryInner()
                .withSku(
                    new com.azure.resourcemanager.containerregistry.models.Sku()
                        .withName(
                            com.azure.resourcemanager.containerregistry.models.SkuName.PREMIUM))
                .withLocation("eastus"))
        .id();
  }

  private static PrivateEndpointInner endpoint(
      String name, String registryId, String subnet, boolean manual) {
    PrivateLinkServiceConnection connection =
        new PrivateLinkServiceConnection()
            .withName(name + "-conn")
            .withPrivateLinkServiceId(registryId)
            .withGroupIds(List.of("registry"));
    PrivateEndpointInner endpoint =
        new PrivateEndpointInner().withSubnet(new SubnetInner().withId(NET + subnet));
    if (manual) {
      endpoint.withManualPrivateLinkServiceConnections(List.of(connection));
    } else {
      endpoint.withPrivateLinkServiceConnections(List.of(connection));
    }
    endpoint.withLocation("eastus");
    return endpoint;
  }

  private static PrivateEndpointInner put(String name, PrivateEndpointInner endpoint) {
    return network.serviceClient().getPrivateEndpoints().createOrUpdate(RG, name, endpoint);
  }

  private static ManagementException replicaFails(String registry, String region) {
    return assertThrows(
        ManagementException.class,
        () ->
            acr.serviceClient()
                .getReplications()
                .create(RG, registry, region, new ReplicationInner().withLocation(region)));
  }

  private static String connectionStatus(PrivateEndpointInner endpoint) {
    List<PrivateLinkServiceConnection> connections =
        endpoint.privateLinkServiceConnections() == null
                || endpoint.privateLinkServiceConnections().isEmpty()
            ? endpoint.manualPrivateLinkServiceConnections()
            : endpoint.privateLinkServiceConnections();
    return connections.get(0).privateLinkServiceConnectionState().status();
  }

  @Test
  void anEndpointWithStaticIpsMakesTheReplicaFail() {
    String id = registry("staticipreg");
    put(
        "static-pe",
        endpoint("static-pe", id, "/virtualNetworks/hub/subnets/wide", false)
            .withIpConfigurations(
                List.of(
                    new PrivateEndpointIpConfiguration()
                        .withName("login")
                        .withGroupId("registry")
                        .withMemberName("registry")
                        .withPrivateIpAddress("10.1.0.100"))));

    ManagementException failure = replicaFails("staticipreg", "westus");

    assertTrue(
        failure.getValue().getMessage().contains("static ipconfigurations"),
        failure.getValue().getMessage());
    assertEquals(
        "Failed",
        acr.serviceClient()
            .getReplications()
            .get(RG, "staticipreg", "westus")
            .provisioningState()
            .toString(),
        "a failed replica stays, Failed");
  }

  @Test
  void aFullSubnetUnderAnotherTeamsEndpointRollsTheReplicaBackWithoutNamingIt() {
    String id = registry("fullelsewhere");
    put("own-pe", endpoint("own-pe", id, "/virtualNetworks/hub/subnets/wide", false));
    // A /29 has three usable addresses: their endpoint takes two, the westus replica the third.
    put("their-pe", endpoint("their-pe", id, "/virtualNetworks/spoke/subnets/tiny", false));
    acr.serviceClient()
        .getReplications()
        .create(RG, "fullelsewhere", "westus", new ReplicationInner().withLocation("westus"));

    ManagementException failure = replicaFails("fullelsewhere", "centralus");

    assertEquals("InsufficientSubnetSize", failure.getValue().getCode());
    assertFalse(failure.getValue().getMessage().contains("tiny"), failure.getValue().getMessage());
    assertTrue(
        acr.serviceClient().getReplications().list(RG, "fullelsewhere").stream()
            .noneMatch(r -> r.location().equals("centralus")),
        "rolled back");
  }

  @Test
  void autoApprovalNeedsTheApprovalActionAndManualConnectionsWaitForIt() {
    String id = registry("approvalreg");
    simulator.faults().withhold(CLIENT, Faults.APPROVAL_ACTION, true);

    ManagementException refused =
        assertThrows(
            ManagementException.class,
            () ->
                put(
                    "auto-pe",
                    endpoint("auto-pe", id, "/virtualNetworks/hub/subnets/wide", false)));
    assertEquals(403, refused.getResponse().getStatusCode());
    assertEquals("LinkedAuthorizationFailed", refused.getValue().getCode());

    PrivateEndpointInner manual =
        put("manual-pe", endpoint("manual-pe", id, "/virtualNetworks/hub/subnets/wide", true));
    assertEquals("Pending", connectionStatus(manual));
    PrivateEndpointConnectionInner connection =
        acr.serviceClient().getPrivateEndpointConnections().list(RG, "approvalreg").stream()
            .findFirst()
            .orElseThrow();
    assertEquals("Pending", connection.privateLinkServiceConnectionState().status().toString());
    assertThrows(
        ManagementException.class,
        () -> approve("approvalreg", connection.name()),
        "approving needs the action too");

    simulator.faults().withhold(CLIENT, Faults.APPROVAL_ACTION, false);
    approve("approvalreg", connection.name());

    assertEquals(
        "Approved",
        connectionStatus(
            network.serviceClient().getPrivateEndpoints().getByResourceGroup(RG, "manual-pe")));

    // Deleting the connection on the registry disconnects the endpoint.
    acr.serviceClient()
        .getPrivateEndpointConnections()
        .delete(RG, "approvalreg", connection.name());
    assertTrue(
        acr.serviceClient().getPrivateEndpointConnections().list(RG, "approvalreg").stream()
            .findAny()
            .isEmpty());
    assertEquals(
        "Disconnected",
        connectionStatus(
            network.serviceClient().getPrivateEndpoints().getByResourceGroup(RG, "manual-pe")));
  }

  private static void approve(String registry, String connection) {
    acr.serviceClient()
        .getPrivateEndpointConnections()
        .createOrUpdate(
            RG,
            registry,
            connection,
            new PrivateEndpointConnectionInner()
                .withPrivateLinkServiceConnectionState(
                    new PrivateLinkServiceConnectionState()
                        .withStatus(ConnectionStatus.APPROVED)
                        .withDescription("approved")));
  }

  @Test
  void aConnectionLeftPendingByANewReplicaIsNotApprovedByWritingTheEndpointAgain() {
    String id = registry("pendingreg");
    PrivateEndpointInner endpoint =
        endpoint("pending-pe", id, "/virtualNetworks/hub/subnets/wide", false);
    assertEquals("Approved", connectionStatus(put("pending-pe", endpoint)));
    simulator.faults().setPendingAfterReplica(true);
    acr.serviceClient()
        .getReplications()
        .create(RG, "pendingreg", "westus", new ReplicationInner().withLocation("westus"));

    PrivateEndpointInner reapplied = put("pending-pe", endpoint);

    assertEquals("Pending", connectionStatus(reapplied));
    assertTrue(
        reapplied.customDnsConfigs().stream()
            .anyMatch(c -> c.fqdn().equals("pendingreg.westus.data.azurecr.io")),
        "the re-apply still publishes the new region");
    String name =
        acr.serviceClient().getPrivateEndpointConnections().list(RG, "pendingreg").stream()
            .findFirst()
            .orElseThrow()
            .name();
    approve("pendingreg", name);
    assertEquals(
        "Approved",
        connectionStatus(
            network.serviceClient().getPrivateEndpoints().getByResourceGroup(RG, "pending-pe")));
  }

  @Test
  void withoutTheProxyPermissionAReplicaStaysCreatingUntilDeleted() {
    String id = registry("stuckreg");
    put("stuck-pe", endpoint("stuck-pe", id, "/virtualNetworks/hub/subnets/wide", false));
    simulator.faults().withhold(CLIENT, Faults.PROXY_WRITE, true);

    var poller =
        acr.serviceClient()
            .getReplications()
            .beginCreate(RG, "stuckreg", "westus", new ReplicationInner().withLocation("westus"));
    poller.poll();
    simulator.faults().withhold(CLIENT, Faults.PROXY_WRITE, false);
    assertEquals(
        "Creating",
        acr.serviceClient()
            .getReplications()
            .get(RG, "stuckreg", "westus")
            .provisioningState()
            .toString());
    assertEquals(
        "Creating",
        acr.serviceClient()
            .getReplications()
            .get(RG, "stuckreg", "westus")
            .provisioningState()
            .toString(),
        "still Creating after the permission is granted");

    acr.serviceClient().getReplications().delete(RG, "stuckreg", "westus");
    ReplicationInner again =
        acr.serviceClient()
            .getReplications()
            .create(RG, "stuckreg", "westus", new ReplicationInner().withLocation("westus"));
    assertEquals("Succeeded", again.provisioningState().toString());
  }

  @Test
  void shapesFromTheRestSpecs() {
    String id = registry("shapesreg");
    String registryPath = id + "?api-version=2025-11-01";

    ArmHttp.Response patched =
        http.call("PATCH", registryPath, java.util.Map.of("tags", java.util.Map.of("a", "b")));
    assertEquals(201, patched.status());
    assertNotNull(patched.header("Azure-AsyncOperation"));
    assertEquals("Updating", patched.body().at("/properties/provisioningState").asText());

    acr.serviceClient()
        .getReplications()
        .create(RG, "shapesreg", "westus", new ReplicationInner().withLocation("westus"));
    ArmHttp.Response deleted =
        http.call("DELETE", id + "/replications/westus?api-version=2025-11-01", null);
    assertEquals(202, deleted.status());
    assertTrue(
        deleted.header("Location").contains("/replications/westus/operationStatuses/"),
        deleted.header("Location"));

    assertFalse(
        http.call("GET", registryPath, null)
            .body()
            .at("/properties/dataEndpointEnabled")
            .asBoolean());
    put("shapes-pe", endpoint("shapes-pe", id, "/virtualNetworks/hub/subnets/wide", false));
    var withEndpoint = http.call("GET", registryPath, null).body();
    assertTrue(withEndpoint.at("/properties/dataEndpointEnabled").asBoolean());
    assertEquals(
        "shapesreg.eastus.data.azurecr.io",
        withEndpoint.at("/properties/dataEndpointHostNames/0").asText());
  }
}
