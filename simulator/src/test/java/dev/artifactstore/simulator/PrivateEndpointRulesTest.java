package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.ApplicationSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateEndpointIpConfiguration;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.privatedns.fluent.models.PrivateZoneInner;
import com.azure.resourcemanager.privatedns.models.RecordType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private endpoints as Azure has them (shared/AZURE.md, "Private link as Azure really behaves"): an
 * endpoint lives in its network's region and subscription, a PUT replaces the whole document, some
 * fields never change, and an endpoint has one DNS zone group of at most five zones. Each rule goes
 * through the real Azure SDK.
 */
class PrivateEndpointRulesTest {
  static final String SUB = Simulator.DEFAULT_SUBSCRIPTION;
  static final String HUB_SUB = "00000000-0000-0000-0000-00000000c0de";
  static final String RG = "rules-rg";
  static final String NET =
      "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network";
  static final String HUB_NET =
      "/subscriptions/" + HUB_SUB + "/resourceGroups/hub-rg/providers/Microsoft.Network";
  static final String SUBNET = NET + "/virtualNetworks/hub/subnets/endpoints";
  static final String OTHER_SUBNET = NET + "/virtualNetworks/hub/subnets/others";
  static final String ZONE = "privatelink.azurecr.io";

  @TempDir static Path dataDir;
  static Simulator simulator;
  static AzureSdk sdk;
  static ContainerRegistryManager acr;
  static NetworkManager network;
  static PrivateDnsZoneManager dns;
  static ArmHttp http;
  static String registryId;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .stateFile(dataDir.resolve(StateRecovery.STATE_FILE))
                .subscription(HUB_SUB));
    sdk = new AzureSdk(simulator);
    http = new ArmHttp(simulator);
    sdk.resources().resourceGroups().define(RG).withRegion(Region.US_EAST).create();
    acr = sdk.registries();
    network = sdk.network();
    dns = sdk.privateDns();
    network
        .networks()
        .define("hub")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup(RG)
        .withAddressSpace("10.1.0.0/16")
        .withSubnet("endpoints", "10.1.0.0/24")
        .withSubnet("others", "10.1.1.0/24")
        .create();
    for (String zone :
        List.of(ZONE, "z1.example", "z2.example", "z3.example", "z4.example", "z5.example")) {
      dns.serviceClient()
          .getPrivateZones()
          .createOrUpdate(RG, zone, new PrivateZoneInner().withLocation("global"));
    }
    registryId =
        acr.containerRegistries()
            .define("westregistry")
            .withRegion(Region.US_WEST3)
            .withExistingResourceGroup(RG)
            .withPremiumSku()
            .create()
            .id();
  }

  @AfterEach
  void whatIsHeldSurvivesAKill() {
    StateRecovery.assertRecoverable(simulator, dataDir);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static PrivateEndpointInner endpoint(String location, String subnetId) {
    return new PrivateEndpointInner()
        .withLocation(location)
        .withSubnet(new SubnetInner().withId(subnetId))
        .withPrivateLinkServiceConnections(
            List.of(
                new PrivateLinkServiceConnection()
                    .withName("portal-connection")
                    .withPrivateLinkServiceId(registryId)
                    .withGroupIds(List.of("registry"))));
  }

  private static PrivateEndpointInner put(String name, PrivateEndpointInner endpoint) {
    return network.serviceClient().getPrivateEndpoints().createOrUpdate(RG, name, endpoint);
  }

  private static ManagementException refused(Runnable call) {
    return assertThrows(ManagementException.class, call::run);
  }

  @Test
  void anEndpointLivesInItsNetworksRegionNotItsRegistrys() {
    ManagementException e = refused(() -> put("in-registry-region", endpoint("westus3", SUBNET)));

    assertEquals(400, e.getResponse().getStatusCode());
    assertEquals("InvalidResourceReference", e.getValue().getCode());
    assertTrue(
        e.getValue().getMessage().contains("both resources are in the same region"),
        e.getValue().getMessage());
    assertEquals("eastus", put("in-network-region", endpoint("eastus", SUBNET)).location());
  }

  @Test
  void anEndpointLivesInItsNetworksSubscription() {
    NetworkManager hub = sdk.network(HUB_SUB);
    http.call(
        "PUT",
        "/subscriptions/" + HUB_SUB + "/resourcegroups/hub-rg?api-version=2021-04-01",
        Map.of("location", "eastus"));
    hub.networks()
        .define("connectivity")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup("hub-rg")
        .withAddressSpace("10.9.0.0/16")
        .withSubnet("endpoints", "10.9.0.0/24")
        .create();
    String hubSubnet = HUB_NET + "/virtualNetworks/connectivity/subnets/endpoints";

    ManagementException e =
        refused(() -> put("across-subscriptions", endpoint("eastus", hubSubnet)));
    assertEquals("InvalidResourceReference", e.getValue().getCode());

    PrivateEndpointInner made =
        hub.serviceClient()
            .getPrivateEndpoints()
            .createOrUpdate("hub-rg", "in-hub", endpoint("eastus", hubSubnet));
    assertTrue(made.id().startsWith("/subscriptions/" + HUB_SUB + "/"), made.id());
    assertTrue(made.customDnsConfigs().get(0).ipAddresses().get(0).startsWith("10.9.0."));
  }

  @Test
  void aPutReplacesTheWholeDocument() {
    PrivateEndpointInner first =
        endpoint("eastus", SUBNET)
            .withCustomNetworkInterfaceName("replaced-pe-nic")
            .withApplicationSecurityGroups(
                List.of(
                    new ApplicationSecurityGroupInner()
                        .withId(NET + "/applicationSecurityGroups/asg")));
    first.withTags(Map.of("cost-center", "42"));
    PrivateEndpointInner made = put("replaced-pe", first);
    assertEquals(Map.of("cost-center", "42"), made.tags());
    assertTrue(made.networkInterfaces().get(0).id().endsWith("/networkInterfaces/replaced-pe-nic"));
    assertEquals("portal-connection", made.privateLinkServiceConnections().get(0).name());

    PrivateEndpointInner minimal =
        put(
            "replaced-pe",
            endpoint("eastus", SUBNET).withCustomNetworkInterfaceName("replaced-pe-nic"));

    assertTrue(minimal.tags() == null || minimal.tags().isEmpty(), "tags left out are gone");
    assertTrue(
        minimal.applicationSecurityGroups() == null
            || minimal.applicationSecurityGroups().isEmpty(),
        "security groups left out are gone");
  }

  @Test
  void whatCannotChangeOnAnExistingEndpointIsRefused() {
    put("fixed-pe", endpoint("eastus", SUBNET).withCustomNetworkInterfaceName("fixed-pe-nic"));

    assertEquals(
        "CannotChangeSubnetOnExistingPrivateEndpoint",
        refused(
                () ->
                    put(
                        "fixed-pe",
                        endpoint("eastus", OTHER_SUBNET)
                            .withCustomNetworkInterfaceName("fixed-pe-nic")))
            .getValue()
            .getCode());
    ManagementException nic = refused(() -> put("fixed-pe", endpoint("eastus", SUBNET)));
    assertEquals("NameOfExistingPrivateEndpointNicCannotBeChanged", nic.getValue().getCode());
    assertTrue(nic.getValue().getMessage().contains("fixed-pe-nic"));
    ManagementException moved =
        refused(
            () ->
                put(
                    "fixed-pe",
                    endpoint("westus3", SUBNET).withCustomNetworkInterfaceName("fixed-pe-nic")));
    assertEquals(409, moved.getResponse().getStatusCode());
    assertEquals("InvalidResourceLocation", moved.getValue().getCode());
  }

  @Test
  void staticIpConfigurationsAreHonouredAndKept() {
    PrivateEndpointInner made =
        put(
            "static-pe",
            endpoint("eastus", SUBNET)
                .withIpConfigurations(
                    List.of(
                        ipConfig("login", "registry", "10.1.0.200"),
                        ipConfig("data", "registry_data_westus3", "10.1.0.201"))));

    assertEquals(List.of("10.1.0.200"), made.customDnsConfigs().get(0).ipAddresses());
    assertEquals(List.of("10.1.0.201"), made.customDnsConfigs().get(1).ipAddresses());
    assertEquals(2, made.ipConfigurations().size());
    ManagementException taken =
        refused(
            () ->
                put(
                    "static-too",
                    endpoint("eastus", SUBNET)
                        .withIpConfigurations(
                            List.of(ipConfig("login", "registry", "10.1.0.200")))));
    assertEquals("PrivateIPAddressNotAvailable", taken.getValue().getCode());
  }

  private static PrivateEndpointIpConfiguration ipConfig(String name, String member, String ip) {
    return new PrivateEndpointIpConfiguration()
        .withName(name)
        .withGroupId("registry")
        .withMemberName(member)
        .withPrivateIpAddress(ip);
  }

  @Test
  void theDocumentAsReadCanBePutBackUnchanged() {
    PrivateEndpointInner first =
        endpoint("eastus", SUBNET).withCustomNetworkInterfaceName("roundtrip-pe-nic");
    first.withTags(Map.of("owner", "network-team"));
    put("roundtrip-pe", first);
    String path = NET + "/privateEndpoints/roundtrip-pe?api-version=2025-03-01";
    JsonNode read = http.call("GET", path, null).body();

    ArmHttp.Response written = http.call("PUT", path, read);

    assertEquals(200, written.status(), written.body().toString());
    ObjectNode after = (ObjectNode) http.call("GET", path, null).body().deepCopy();
    ObjectNode before = read.deepCopy();
    for (ObjectNode doc : List.of(before, after)) {
      doc.remove("etag");
      ((ObjectNode) doc.get("properties")).remove("provisioningState");
      ((ObjectNode) doc.at("/properties/privateLinkServiceConnections/0")).remove("etag");
    }
    assertEquals(before, after);
  }

  @Test
  void anEndpointHasOneZoneGroupOfAtMostFiveZones() {
    put("grouped-pe", endpoint("eastus", SUBNET));
    zoneGroup("grouped-pe", "MyZoneGroup", List.of(ZONE));

    ManagementException second = refused(() -> zoneGroup("grouped-pe", "default", List.of(ZONE)));
    assertTrue(
        second
            .getValue()
            .getMessage()
            .contains("Cannot create more than one private dns zone groups"),
        second.getValue().getMessage());
    refused(
        () ->
            zoneGroup(
                "grouped-pe",
                "MyZoneGroup",
                List.of(
                    ZONE, "z1.example", "z2.example", "z3.example", "z4.example", "z5.example")));
    PrivateDnsZoneGroupInner two =
        zoneGroup("grouped-pe", "MyZoneGroup", List.of(ZONE, "z1.example"));
    assertEquals(2, two.privateDnsZoneConfigs().size());
    assertTrue(
        dns.serviceClient().getRecordSets().listByType(RG, "z1.example", RecordType.A).stream()
            .anyMatch(r -> r.name().startsWith("westregistry")));
  }

  @Test
  void deletingAZoneGroupIsALongRunningOperationThatTakesItsRecords() {
    put("ungrouped-pe", endpoint("eastus", SUBNET));
    zoneGroup("ungrouped-pe", "default", List.of("z2.example"));
    String path =
        NET + "/privateEndpoints/ungrouped-pe/privateDnsZoneGroups/default?api-version=2025-03-01";

    ArmHttp.Response accepted = http.call("DELETE", path, null);

    assertEquals(202, accepted.status());
    assertTrue(
        accepted.header("Location") != null && accepted.header("Azure-AsyncOperation") != null);
    network.serviceClient().getPrivateDnsZoneGroups().delete(RG, "ungrouped-pe", "default");
    assertEquals(404, http.call("GET", path, null).status());
    assertFalse(
        dns.serviceClient().getRecordSets().listByType(RG, "z2.example", RecordType.A).stream()
            .anyMatch(r -> r.name().startsWith("westregistry")));
  }

  private static PrivateDnsZoneGroupInner zoneGroup(
      String endpoint, String name, List<String> zones) {
    List<PrivateDnsZoneConfig> configs = new ArrayList<>();
    for (String zone : zones) {
      configs.add(
          new PrivateDnsZoneConfig()
              .withName(zone.replace('.', '-'))
              .withPrivateDnsZoneId(NET + "/privateDnsZones/" + zone));
    }
    return network
        .serviceClient()
        .getPrivateDnsZoneGroups()
        .createOrUpdate(
            RG, endpoint, name, new PrivateDnsZoneGroupInner().withPrivateDnsZoneConfigs(configs));
  }

  @Test
  void anEndpointsNetworkInterfaceIsNamedByAzureUnlessTheRequestNamesIt() {
    PrivateEndpointInner unnamed = put("auto-nic-pe", endpoint("eastus", SUBNET));
    assertNotEquals("", unnamed.networkInterfaces().get(0).id());
    assertTrue(
        unnamed.networkInterfaces().get(0).id().contains("/networkInterfaces/auto-nic-pe.nic."));
  }
}
