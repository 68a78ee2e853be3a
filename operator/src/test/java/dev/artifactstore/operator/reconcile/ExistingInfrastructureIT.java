package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.models.Sku;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stores over infrastructure made the usual way, by someone else: a registry and an endpoint made
 * with the portal or the CLI, endpoints in a hub network of another region or another subscription.
 */
class ExistingInfrastructureIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ENDPOINT = "portalreg-endpoint";
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults());
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static AzureProfile profile(String subscription) {
    return new AzureProfile(
        bed.connection.tenantFor(null), subscription, bed.connection.environment());
  }

  private static NetworkManager network() {
    return NetworkManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(bed.connection.defaultCredential(), profile(PlatformBaseline.SUBSCRIPTION));
  }

  /** What the portal leaves: a Premium registry, and an endpoint with its own names and tags. */
  private static void buildAsThePortalDoes(String registry) {
    ContainerRegistryManager acr =
        ContainerRegistryManager.configure()
            .withHttpClient(bed.connection.httpClient())
            .authenticate(
                bed.connection.defaultCredential(), profile(PlatformBaseline.SUBSCRIPTION));
    acr.serviceClient()
        .getRegistries()
        .create(
            PlatformBaseline.ARTIFACTS_GROUP,
            registry,
            new RegistryInner()
                .withSku(new Sku().withName(SkuName.PREMIUM))
                .withLocation("eastus"));
    PrivateEndpointInner endpoint =
        new PrivateEndpointInner()
            .withSubnet(
                new SubnetInner().withId(PlatformBaseline.subnetId(PlatformBaseline.SUBNET)))
            .withCustomNetworkInterfaceName(ENDPOINT + "-nic-portal")
            .withPrivateLinkServiceConnections(
                List.of(
                    new PrivateLinkServiceConnection()
                        .withName(ENDPOINT + "_a1b2c3")
                        .withPrivateLinkServiceId(bed.registryId(registry))
                        .withGroupIds(List.of("registry"))));
    endpoint.withLocation("eastus").withTags(Map.of("owner", "network-team", "cost-center", "42"));
    NetworkManager network = network();
    network
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, ENDPOINT, endpoint);
    network
        .serviceClient()
        .getPrivateDnsZoneGroups()
        .createOrUpdate(
            PlatformBaseline.NETWORK_GROUP,
            ENDPOINT,
            "MyZoneGroup",
            new PrivateDnsZoneGroupInner()
                .withPrivateDnsZoneConfigs(
                    List.of(
                        new PrivateDnsZoneConfig()
                            .withName("privatelink-azurecr-io")
                            .withPrivateDnsZoneId(PlatformBaseline.zoneId()))));
  }

  /** The endpoint's document as ARM answers a GET. */
  private static JsonNode endpointDocument() {
    return endpointAt(PlatformBaseline.SUBSCRIPTION, PlatformBaseline.NETWORK_GROUP, ENDPOINT);
  }

  private static List<String> zoneGroups() {
    List<String> names = new ArrayList<>();
    network()
        .serviceClient()
        .getPrivateDnsZoneGroups()
        .list(ENDPOINT, PlatformBaseline.NETWORK_GROUP)
        .forEach(g -> names.add(g.name()));
    return names;
  }

  @Test
  void aRegistryAndEndpointMadeInThePortalBecomeGeoReplicatedWithOnlyTheWritesTheRunbookNeeds() {
    String registry = "portalreg";
    buildAsThePortalDoes(registry);
    JsonNode before = endpointDocument();
    long start = bed.simulator.journal().sequence();

    ArtifactStore store =
        Testbed.store("portal", registry, "eastus", ReplicationStrategy.GeoReplication, true);
    store.getSpec().getPrivateEndpoints().get(0).setName(ENDPOINT);
    store.getSpec().setAdoptExisting(true);
    bed.create(store);
    bed.awaitReady("portal", Duration.ofSeconds(90));

    JsonNode after = endpointDocument();
    for (String field :
        List.of(
            "/id",
            "/name",
            "/location",
            "/properties/subnet",
            "/properties/customNetworkInterfaceName",
            "/properties/networkInterfaces",
            "/properties/ipConfigurations",
            "/properties/applicationSecurityGroups",
            "/properties/manualPrivateLinkServiceConnections",
            "/properties/privateLinkServiceConnections/0/name",
            "/properties/privateLinkServiceConnections/0/properties/privateLinkServiceId",
            "/properties/privateLinkServiceConnections/0/properties/groupIds",
            "/properties/privateLinkServiceConnections/0/properties/privateLinkServiceConnectionState/status")) {
      assertEquals(before.at(field), after.at(field), field + " changed");
    }
    assertEquals("Succeeded", after.at("/properties/provisioningState").asText());
    // The mark is the only change to the endpoint besides Azure's own.
    ObjectNode markedTags = ((ObjectNode) before.get("tags")).deepCopy();
    markedTags.put(Ownership.TAG, Testbed.CLUSTER + "/" + Testbed.NAMESPACE + "/portal/adopted");
    assertEquals(markedTags, after.get("tags"));
    // What Azure itself changes: the new region's data endpoint joins the DNS configuration.
    List<String> fqdnsBefore = fqdns(before);
    List<String> fqdnsAfter = fqdns(after);
    List<String> expected = new ArrayList<>(fqdnsBefore);
    expected.add(registry + ".westus.data.azurecr.io");
    assertEquals(expected, fqdnsAfter);

    assertEquals(List.of("MyZoneGroup"), zoneGroups());
    Map<String, String> records = zoneRecords();
    assertEquals(
        address(after, registry + ".westus.data.azurecr.io"),
        records.get(registry + ".westus.data"));

    List<String> writes =
        bed
            .simulator
            .journal()
            .entries(e -> e.sequence() > start && (e.isWrite() || e.isDelete()))
            .stream()
            .map(e -> e.method() + " " + e.path().toLowerCase(Locale.ROOT))
            .toList();
    String base = bed.registryId(registry).toLowerCase(Locale.ROOT);
    String endpointId =
        ("/subscriptions/"
                + PlatformBaseline.SUBSCRIPTION
                + "/resourceGroups/"
                + PlatformBaseline.NETWORK_GROUP
                + "/providers/Microsoft.Network/privateEndpoints/"
                + ENDPOINT)
            .toLowerCase(Locale.ROOT);
    assertEquals(1, count(writes, "PATCH " + base), "the adopted registry is marked: " + writes);
    assertEquals(1, count(writes, "PUT " + base + "/replications/westus"), writes.toString());
    // The write that marks the endpoint adopted re-applies it too.
    assertEquals(1, count(writes, "PUT " + endpointId), writes.toString());
    long recordWrites =
        writes.stream().filter(w -> w.contains("/privatednszones/") && w.contains("/a/")).count();
    assertTrue(recordWrites <= 1, writes.toString());
    assertEquals(3 + recordWrites, writes.size(), "no other write: " + writes);
  }

  private static long count(List<String> writes, String write) {
    return writes.stream().filter(write::equals).count();
  }

  private static List<String> fqdns(JsonNode endpoint) {
    List<String> out = new ArrayList<>();
    endpoint.at("/properties/customDnsConfigs").forEach(c -> out.add(c.get("fqdn").asText()));
    return out;
  }

  private static String address(JsonNode endpoint, String fqdn) {
    for (JsonNode c : endpoint.at("/properties/customDnsConfigs")) {
      if (c.get("fqdn").asText().equals(fqdn)) {
        return c.at("/ipAddresses/0").asText();
      }
    }
    return null;
  }

  private static Map<String, String> zoneRecords() {
    Map<String, String> records = new TreeMap<>();
    for (var r :
        bed.azure().dns().aRecords(PlatformBaseline.NETWORK_GROUP, PlatformBaseline.ZONE)) {
      records.put(r.name(), r.addresses().get(0));
    }
    return records;
  }

  @Test
  void endpointsInAHubOfAnotherRegionOrAnotherSubscriptionAreCreatedWhereTheirNetworkIs()
      throws Exception {
    // The stores of the GitOps example, as a user syncs them.
    long start = bed.simulator.journal().sequence();
    List<ArtifactStore> stores = new ArrayList<>();
    Path file = Path.of("..", "examples", "gitops", "artifactstores.yaml");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var parser = new YAMLFactory().createParser(Files.readString(file))) {
      yaml.readValues(parser, ArtifactStore.class).forEachRemaining(stores::add);
    }
    for (ArtifactStore store : stores) {
      store.setMetadata(
          new ObjectMetaBuilder()
              .withName(store.getMetadata().getName())
              .withNamespace(Testbed.NAMESPACE)
              .build());
      bed.create(store);
    }
    for (ArtifactStore store : stores) {
      bed.awaitReady(store.getMetadata().getName(), Duration.ofSeconds(120));
    }

    JsonNode west3 =
        endpointAt(
            PlatformBaseline.SUBSCRIPTION, PlatformBaseline.NETWORK_GROUP, "contosoteamimages-pe");
    assertEquals("eastus", west3.get("location").asText(), "the hub's region, not westus3");
    JsonNode hub =
        endpointAt(
            PlatformBaseline.CONNECTIVITY_SUBSCRIPTION,
            PlatformBaseline.CONNECTIVITY_GROUP,
            "contosoteamvmimages-pe");
    assertEquals(PlatformBaseline.CONNECTIVITY_REGION, hub.get("location").asText());
    assertTrue(
        hub.get("id")
            .asText()
            .startsWith("/subscriptions/" + PlatformBaseline.CONNECTIVITY_SUBSCRIPTION + "/"));
    assertTrue(address(hub, "contosoteamvmimages.westus.data.azurecr.io").startsWith("10.2.0."));
    assertEquals(
        address(hub, "contosoteamvmimages.westus.data.azurecr.io"),
        zoneRecords().get("contosoteamvmimages.westus.data"));
    assertEquals(
        address(west3, "contosoteamimages.eastus.data.azurecr.io"),
        zoneRecords().get("contosoteamimages.eastus.data"));
    // One read of each hub network, whatever the number of endpoints in it.
    List<Journal.Entry> networkReads =
        bed.simulator
            .journal()
            .entries(
                e ->
                    e.sequence() > start
                        && e.method().equals("GET")
                        && e.path().toLowerCase(Locale.ROOT).matches(".*/virtualnetworks/[^/]+$"));
    assertTrue(networkReads.size() <= 2, networkReads.toString());
  }

  private static JsonNode endpointAt(String subscription, String group, String name) {
    return new AzureClients(bed.connection, List.of())
        .ports(subscription, "out-of-band", bed.connection::defaultCredential)
        .network()
        .privateEndpoint(group, name)
        .orElseThrow()
        .document();
  }
}
