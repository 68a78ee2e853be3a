package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.Region;
import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.CustomDnsConfigPropertiesFormat;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.privatedns.fluent.models.PrivateZoneInner;
import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.privatedns.fluent.models.VirtualNetworkLinkInner;
import com.azure.resourcemanager.privatedns.models.RecordType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story the product exists for: after a replica is added, the private endpoint lacks the new
 * region's data endpoint and the zone lacks its record until the endpoint is written again; a full
 * endpoint subnet makes the replica fail and roll back.
 */
class PrivateLinkStoryTest {
  static final String SUB = Simulator.DEFAULT_SUBSCRIPTION;
  static final String RG = "story-rg";
  static final String NET =
      "/subscriptions/" + SUB + "/resourceGroups/" + RG + "/providers/Microsoft.Network";
  static final String ZONE = "privatelink.azurecr.io";

  @TempDir static Path dataDir;
  static Simulator simulator;
  static ContainerRegistryManager acr;
  static NetworkManager network;
  static PrivateDnsZoneManager dns;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .stateFile(dataDir.resolve(StateRecovery.STATE_FILE)));
    AzureSdk sdk = new AzureSdk(simulator);
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
        .withSubnet("wide", "10.1.0.0/24")
        .withSubnet("tiny", "10.1.1.0/29")
        .create();
    dns.serviceClient()
        .getPrivateZones()
        .createOrUpdate(RG, ZONE, new PrivateZoneInner().withLocation("global"));
    dns.serviceClient()
        .getVirtualNetworkLinks()
        .createOrUpdate(
            RG,
            ZONE,
            "hub-link",
            new VirtualNetworkLinkInner()
                .withLocation("global")
                .withVirtualNetwork(new SubResource().withId(NET + "/virtualNetworks/hub"))
                .withRegistrationEnabled(false));
  }

  @AfterEach
  void whatIsHeldSurvivesAKill() {
    StateRecovery.assertRecoverable(simulator, dataDir);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static String createRegistry(String name) {
    return acr.containerRegistries()
        .define(name)
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup(RG)
        .withPremiumSku()
        .create()
        .id();
  }

  private static PrivateEndpointInner putEndpoint(String name, String registryId, String subnet) {
    return network
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(
            RG,
            name,
            new PrivateEndpointInner()
                .withLocation("eastus")
                .withSubnet(
                    new SubnetInner().withId(NET + "/virtualNetworks/hub/subnets/" + subnet))
                .withPrivateLinkServiceConnections(
                    List.of(
                        new PrivateLinkServiceConnection()
                            .withName(name + "-conn")
                            .withPrivateLinkServiceId(registryId)
                            .withGroupIds(List.of("registry")))));
  }

  private static void putZoneGroup(String endpoint) {
    network
        .serviceClient()
        .getPrivateDnsZoneGroups()
        .createOrUpdate(
            RG,
            endpoint,
            "default",
            new PrivateDnsZoneGroupInner()
                .withPrivateDnsZoneConfigs(
                    List.of(
                        new PrivateDnsZoneConfig()
                            .withName("acr")
                            .withPrivateDnsZoneId(NET + "/privateDnsZones/" + ZONE))));
  }

  private static Map<String, String> fqdns(PrivateEndpointInner endpoint) {
    Map<String, String> out = new TreeMap<>();
    for (CustomDnsConfigPropertiesFormat c : endpoint.customDnsConfigs()) {
      out.put(c.fqdn(), c.ipAddresses().get(0));
    }
    return out;
  }

  private static Map<String, String> aRecords() {
    Map<String, String> out = new TreeMap<>();
    for (RecordSetInner r :
        dns.serviceClient().getRecordSets().listByType(RG, ZONE, RecordType.A)) {
      out.put(r.name(), r.aRecords().get(0).ipv4Address());
    }
    return out;
  }

  @Test
  void newRegionReachesEndpointAndZoneOnlyAfterTheEndpointIsWrittenAgain() {
    String registryId = createRegistry("storyreg");
    PrivateEndpointInner endpoint = putEndpoint("storyreg-pe", registryId, "wide");
    putZoneGroup("storyreg-pe");
    assertEquals(
        List.of("storyreg.azurecr.io", "storyreg.eastus.data.azurecr.io"),
        List.copyOf(fqdns(endpoint).keySet()));
    assertEquals(fqdns(endpoint).get("storyreg.azurecr.io"), aRecords().get("storyreg"));
    assertTrue(aRecords().containsKey("storyreg.eastus.data"));

    acr.serviceClient()
        .getReplications()
        .create(RG, "storyreg", "westus", new ReplicationInner().withLocation("westus"));

    PrivateEndpointInner stale =
        network.serviceClient().getPrivateEndpoints().getByResourceGroup(RG, "storyreg-pe");
    assertFalse(
        fqdns(stale).containsKey("storyreg.westus.data.azurecr.io"),
        "Azure does not publish the new region by itself");
    assertFalse(aRecords().containsKey("storyreg.westus.data"), "nor write its record");
    // The connection stays Approved unless Azure sends it back to Pending (a fault switch,
    // PrivateLinkFailureModesTest); either way only the registry side approves it.
    assertEquals(
        "Approved",
        stale.privateLinkServiceConnections().get(0).privateLinkServiceConnectionState().status());

    PrivateEndpointInner reapplied = putEndpoint("storyreg-pe", registryId, "wide");

    String westIp = fqdns(reapplied).get("storyreg.westus.data.azurecr.io");
    assertTrue(
        westIp != null && westIp.startsWith("10.1.0."),
        "new region got an address: " + fqdns(reapplied));
    assertEquals(
        "Approved",
        reapplied
            .privateLinkServiceConnections()
            .get(0)
            .privateLinkServiceConnectionState()
            .status());
    assertFalse(
        aRecords().containsKey("storyreg.westus.data"), "the record still has to be written");

    // Writing the zone group again (or the record itself) completes the zone.
    putZoneGroup("storyreg-pe");
    assertEquals(westIp, aRecords().get("storyreg.westus.data"));
  }

  @Test
  void replicaFailsAndIsRolledBackWhenAnEndpointSubnetIsFull() {
    // A /29 has 3 usable addresses: the endpoint takes 2, the westus replica the third.
    String registryId = createRegistry("fullsubnet");
    putEndpoint("fullsubnet-pe", registryId, "tiny");
    acr.serviceClient()
        .getReplications()
        .create(RG, "fullsubnet", "westus", new ReplicationInner().withLocation("westus"));

    ManagementException failure =
        assertThrows(
            ManagementException.class,
            () ->
                acr.serviceClient()
                    .getReplications()
                    .create(
                        RG,
                        "fullsubnet",
                        "centralus",
                        new ReplicationInner().withLocation("centralus")));

    assertEquals("InsufficientSubnetSize", failure.getValue().getCode());
    assertFalse(
        failure.getValue().getMessage().contains("subnets/tiny"),
        "Azure does not say which subnet: " + failure.getValue().getMessage());
    assertNull(
        simulator.resource(registryId + "/replications/centralus"),
        "the failed replica is rolled back");
  }

  @Test
  void recordSetsHonourEtagsAndLowerCaseNames() {
    RecordSetInner created =
        dns.serviceClient()
            .getRecordSets()
            .createOrUpdate(
                RG,
                ZONE,
                RecordType.A,
                "MixedCase",
                new RecordSetInner()
                    .withTtl(3600L)
                    .withARecords(
                        List.of(
                            new com.azure.resourcemanager.privatedns.models.ARecord()
                                .withIpv4Address("10.9.9.9"))));
    assertEquals("mixedcase", created.name());

    ManagementException stale =
        assertThrows(
            ManagementException.class,
            () ->
                dns.serviceClient()
                    .getRecordSets()
                    .createOrUpdateWithResponse(
                        RG,
                        ZONE,
                        RecordType.A,
                        "mixedcase",
                        created,
                        "not-the-etag",
                        null,
                        com.azure.core.util.Context.NONE));
    assertEquals(412, stale.getResponse().getStatusCode());

    dns.serviceClient()
        .getRecordSets()
        .createOrUpdateWithResponse(
            RG,
            ZONE,
            RecordType.A,
            "mixedcase",
            created,
            created.etag(),
            null,
            com.azure.core.util.Context.NONE);
    dns.serviceClient().getRecordSets().delete(RG, ZONE, RecordType.A, "mixedcase");
    assertFalse(aRecords().containsKey("mixedcase"));
  }

  @Test
  void deletingAnEndpointRemovesItsRecordsAndFreesItsAddresses() {
    String registryId = createRegistry("deletepe1");
    putEndpoint("deletepe1-pe", registryId, "wide");
    putZoneGroup("deletepe1-pe");
    assertTrue(aRecords().containsKey("deletepe1"));

    network.serviceClient().getPrivateEndpoints().delete(RG, "deletepe1-pe");

    assertNull(simulator.resource(NET + "/privateEndpoints/deletepe1-pe"));
    assertFalse(aRecords().containsKey("deletepe1"));
    assertTrue(
        acr.serviceClient()
            .getRegistries()
            .getByResourceGroup(RG, "deletepe1")
            .privateEndpointConnections()
            .isEmpty());
  }

  @Test
  void longListsComeInPagesOfAHundredThatTheSdkFollows() {
    String zone = "paging.example";
    dns.serviceClient()
        .getPrivateZones()
        .createOrUpdate(RG, zone, new PrivateZoneInner().withLocation("global"));
    for (int i = 0; i < 250; i++) {
      dns.serviceClient()
          .getRecordSets()
          .createOrUpdate(
              RG,
              zone,
              RecordType.A,
              "r" + i,
              new RecordSetInner()
                  .withTtl(10L)
                  .withARecords(
                      List.of(
                          new com.azure.resourcemanager.privatedns.models.ARecord()
                              .withIpv4Address("10.9.0." + (i % 250)))));
    }
    long before = simulator.journal().entries().size();

    List<RecordSetInner> all =
        dns.serviceClient().getRecordSets().listByType(RG, zone, RecordType.A).stream().toList();

    assertEquals(250, all.size());
    assertEquals(250, all.stream().map(RecordSetInner::name).distinct().count());
    var pages =
        simulator.journal().entries().stream()
            .skip(before)
            .filter(e -> e.method().equals("GET") && e.path().endsWith("/" + zone + "/A"))
            .toList();
    assertEquals(3, pages.size(), "250 records in pages of 100: " + pages);
  }
}
