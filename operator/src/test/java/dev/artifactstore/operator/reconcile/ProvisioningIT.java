package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenarios 1 and 2: single-region and geo-replicated stores from scratch. */
class ProvisioningIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults());
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void singleReplicationInEastUsBecomesReadyAsAZoneRedundantPremiumRegistry() {
    bed.create(
        Testbed.store(
            "single-eastus", "itsingle1", "eastus", ReplicationStrategy.SingleReplication, false));

    ArtifactStore store = bed.awaitReady("single-eastus", Duration.ofSeconds(60));

    assertEquals(
        "Premium", bed.simulator.resource(bed.registryId("itsingle1")).at("/sku/name").asText());
    assertEquals("Enabled", store.getStatus().getPrimary().getZoneRedundancy());
    assertEquals("Succeeded", store.getStatus().getPrimary().getProvisioningState());
    assertEquals("itsingle1.azurecr.io", store.getStatus().getLoginServer());
    assertEquals("eastus", store.getStatus().getPushRegion());
    assertEquals(ReplicationStrategy.SingleReplication, store.getStatus().getReplicationStrategy());
    Condition replica = Testbed.condition(store, Conditions.REPLICA_READY);
    assertEquals("True", replica.getStatus());
    assertEquals("NotRequired", replica.getReason());
    Condition dns = Testbed.condition(store, Conditions.DNS_READY);
    assertEquals("True", dns.getStatus());
    assertEquals("NotConfigured", dns.getReason());
    assertEquals("False", Testbed.condition(store, Conditions.RECONCILING).getStatus());
    assertEquals("False", Testbed.condition(store, Conditions.STALLED).getStatus());
    var reasons =
        bed.client.v1().events().inNamespace(Testbed.NAMESPACE).list().getItems().stream()
            .filter(e -> "single-eastus".equals(e.getInvolvedObject().getName()))
            .map(e -> e.getType() + "/" + e.getReason())
            .toList();
    assertTrue(
        reasons.contains("Normal/CreatingPrimary") && reasons.contains("Normal/Ready"),
        "events: " + reasons);
  }

  @Test
  void aGeoStoreWithAnEndpointIsBuiltWithFourWritesAndNoRereadOfWhatItJustBuilt() {
    long before = bed.simulator.journal().sequence();
    bed.create(
        Testbed.store("geo-cost", "itcost1", "eastus", ReplicationStrategy.GeoReplication, true));

    ArtifactStore store = bed.awaitReady("geo-cost", Duration.ofSeconds(60));

    var window = bed.simulator.journal().entries(e -> e.sequence() > before);
    var writes =
        window.stream().filter(e -> e.isWrite() || e.isDelete()).map(e -> e.kind()).toList();
    var reads = window.stream().filter(e -> e.method().equals("GET")).map(e -> e.kind()).toList();
    System.out.printf("geo store with an endpoint: writes %s%nreads %s%n", writes, reads);
    assertEquals(
        List.of(
            "PUT Microsoft.ContainerRegistry/registries",
            "PUT Microsoft.ContainerRegistry/registries/replications",
            "PUT Microsoft.Network/privateEndpoints",
            "PUT Microsoft.Network/privateEndpoints/privateDnsZoneGroups"),
        writes,
        "the zone group writes the records; no record is written by hand");
    assertTrue(reads.size() <= 8, "at most 8 reads: " + reads);
    assertEquals(
        3, store.getStatus().getPrivateEndpoints().get(0).getDnsRecords().size(), "records");
    assertTrue(
        store.getStatus().getPrivateEndpoints().get(0).getDnsRecords().stream()
            .allMatch(r -> r.getIpAddresses().size() == 1),
        "every record resolves: " + store.getStatus().getPrivateEndpoints());
  }

  @Test
  void eastUsPairsWithWestUsWhoseReplicaHasNoZones() {
    assertGeoPair("geo-eastus", "itgeoeast1", "eastus", "westus", "Disabled");
  }

  @Test
  void westUs3PairsWithEastUs() {
    assertGeoPair("geo-westus3", "itgeowest3", "westus3", "eastus", "Enabled");
  }

  @Test
  void southCentralUsPairsWithNorthCentralUs() {
    assertGeoPair("geo-scus", "itgeoscus1", "southcentralus", "northcentralus", "Disabled");
  }

  @Test
  void displayNameOfTheRegionIsNormalised() {
    bed.create(
        Testbed.store(
            "display-name", "itdisplay1", "East US", ReplicationStrategy.SingleReplication, false));

    ArtifactStore store = bed.awaitReady("display-name", Duration.ofSeconds(60));

    assertEquals("eastus", store.getStatus().getPrimary().getRegion());
  }

  private static void assertGeoPair(
      String name, String registry, String primary, String replicaRegion, String replicaZones) {
    bed.create(Testbed.store(name, registry, primary, ReplicationStrategy.GeoReplication, false));

    ArtifactStore store = bed.awaitReady(name, Duration.ofSeconds(60));

    assertEquals(
        1, store.getStatus().getReplicas().size(), "replicas: " + store.getStatus().getReplicas());
    ReplicaStatus replica = store.getStatus().getReplicas().get(0);
    assertEquals(replicaRegion, replica.getRegion());
    assertEquals("Succeeded", replica.getProvisioningState());
    assertEquals("Ready", replica.getDisplayStatus());
    assertEquals(replicaZones, replica.getZoneRedundancy());
    assertEquals(ReplicationStrategy.GeoReplication, store.getStatus().getReplicationStrategy());
    assertEquals(
        replicaZones,
        bed.simulator
            .resource(bed.registryId(registry) + "/replications/" + replicaRegion)
            .at("/properties/zoneRedundancy")
            .asText());
    assertEquals("True", Testbed.condition(store, Conditions.REPLICA_READY).getStatus());
    assertTrue(
        bed.journal("/registries/" + registry + "/replications/", e -> e.method().equals("PUT"))
                .size()
            == 1,
        "exactly one replica PUT");
  }
}
