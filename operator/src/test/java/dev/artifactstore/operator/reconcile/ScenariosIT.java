package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DnsRecordStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scenarios 3-6: private endpoints and DNS, the retrofit, refusals, and conditions over a run. */
class ScenariosIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(ReconcileSettings.defaults(), "tiny=10.1.9.0/29");
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static Map<String, String> zoneRecords() {
    Map<String, String> records = new TreeMap<>();
    for (var r :
        bed.azure().dns().aRecords(PlatformBaseline.NETWORK_GROUP, PlatformBaseline.ZONE)) {
      records.put(r.name(), r.addresses().get(0));
    }
    return records;
  }

  private static Map<String, String> endpointAddresses(String endpoint) {
    Map<String, String> out = new TreeMap<>();
    var pe =
        bed.azure()
            .network()
            .privateEndpoint(PlatformBaseline.NETWORK_GROUP, endpoint)
            .orElseThrow();
    pe.dns().forEach((fqdn, ips) -> out.put(fqdn, ips.get(0)));
    return out;
  }

  @Test
  void geoWithAnEndpointFromScratchWritesEveryRegionsRecord() {
    bed.create(
        Testbed.store("geo-pe", "itgeope1", "eastus", ReplicationStrategy.GeoReplication, true));

    ArtifactStore store = bed.awaitReady("geo-pe", Duration.ofSeconds(90));

    Map<String, String> addresses = endpointAddresses("itgeope1-pe");
    Map<String, String> records = zoneRecords();
    assertEquals(addresses.get("itgeope1.azurecr.io"), records.get("itgeope1"));
    assertEquals(
        addresses.get("itgeope1.eastus.data.azurecr.io"), records.get("itgeope1.eastus.data"));
    assertEquals(
        addresses.get("itgeope1.westus.data.azurecr.io"), records.get("itgeope1.westus.data"));
    List<DnsRecordStatus> dns = store.getStatus().getPrivateEndpoints().get(0).getDnsRecords();
    assertEquals(3, dns.size());
    assertEquals("True", Testbed.condition(store, Conditions.DNS_READY).getStatus());
    // The endpoint is created after the replica has succeeded.
    long replicaPut =
        first(
            bed.journal("/registries/itgeope1/replications/westus", e -> e.method().equals("PUT")));
    long endpointPut =
        first(bed.journal("/privateEndpoints/itgeope1-pe", e -> e.method().equals("PUT")));
    assertTrue(
        replicaPut < endpointPut,
        "replica PUT #" + replicaPut + " before endpoint PUT #" + endpointPut);
  }

  @Test
  void retrofitAddsTheReplicaThenReappliesTheEndpointThenWritesTheNewRecord() {
    bed.create(
        Testbed.store(
            "retrofit", "itretrofit1", "eastus", ReplicationStrategy.SingleReplication, true));
    bed.awaitReady("retrofit", Duration.ofSeconds(60));
    long before = bed.simulator.journal().sequence();
    assertTrue(!zoneRecords().containsKey("itretrofit1.westus.data"));

    ArtifactStore edited =
        bed.editSpec("retrofit", s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
    ArtifactStore store = bed.awaitReady("retrofit", Duration.ofSeconds(90));

    assertEquals(edited.getMetadata().getGeneration(), store.getStatus().getObservedGeneration());
    long replicaPut =
        first(
            bed.journal(
                "/registries/itretrofit1/replications/westus",
                e -> e.method().equals("PUT") && e.sequence() > before));
    long endpointPut =
        first(
            bed.journal(
                "/privateEndpoints/itretrofit1-pe",
                e -> e.method().equals("PUT") && e.sequence() > before));
    long recordPut =
        first(
            bed.journal(
                "/A/itretrofit1.westus.data",
                e -> e.method().equals("PUT") && e.sequence() > before));
    assertTrue(
        replicaPut < endpointPut && endpointPut < recordPut,
        "expected replica PUT < endpoint PUT < record PUT, got "
            + replicaPut
            + ", "
            + endpointPut
            + ", "
            + recordPut);
    assertEquals(
        endpointAddresses("itretrofit1-pe").get("itretrofit1.westus.data.azurecr.io"),
        zoneRecords().get("itretrofit1.westus.data"));
  }

  @Test
  void geoInAnUnpairedRegionStallsWithoutTouchingAzure() {
    bed.create(
        Testbed.store(
            "central", "itcentral1", "centralus", ReplicationStrategy.GeoReplication, false));

    ArtifactStore store =
        bed.awaitCondition(
            "central", Conditions.STALLED, "True", "UnsupportedRegion", Duration.ofSeconds(30));

    assertTrue(Testbed.condition(store, Conditions.STALLED).getMessage().contains("centralus"));
    assertEquals("False", Testbed.condition(store, Conditions.READY).getStatus());
    assertEquals(
        List.of(), bed.journal("itcentral1", e -> true), "no request about the registry at all");
  }

  @Test
  void downgradeWithAdmissionBypassedStallsAndDeletesNothing() {
    bed.create(
        Testbed.store(
            "downgrade", "itdowngrade1", "eastus", ReplicationStrategy.GeoReplication, false));
    bed.awaitReady("downgrade", Duration.ofSeconds(60));
    long before = bed.simulator.journal().sequence();

    bed.editSpec("downgrade", s -> s.setReplicationStrategy(ReplicationStrategy.SingleReplication));
    ArtifactStore store =
        bed.awaitCondition(
            "downgrade",
            Conditions.STALLED,
            "True",
            "DowngradeNotSupported",
            Duration.ofSeconds(30));

    assertEquals(ReplicationStrategy.GeoReplication, store.getStatus().getReplicationStrategy());
    assertEquals(
        List.of(),
        bed.journal("itdowngrade1", e -> e.sequence() > before && Testbed.writes().test(e)));
    assertNotNull(bed.simulator.resource(bed.registryId("itdowngrade1") + "/replications/westus"));
  }

  @Test
  void fullEndpointSubnetStallsBeforeAnyReplicaPut() {
    // A /29 has three usable addresses: the endpoint takes two, and a replica someone added by hand
    // in centralus takes the third.
    ArtifactStore full =
        Testbed.store(
            "subnet-full", "itfull1", "eastus", ReplicationStrategy.SingleReplication, true);
    full.getSpec().getPrivateEndpoints().get(0).setSubnetId(PlatformBaseline.subnetId("tiny"));
    bed.create(full);
    bed.awaitReady("subnet-full", Duration.ofSeconds(60));
    bed.azure()
        .registries()
        .createReplication(
            PlatformBaseline.ARTIFACTS_GROUP, "itfull1", "centralus", true, Map.of());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "Succeeded"
                    .equals(
                        bed.simulator
                            .resource(bed.registryId("itfull1") + "/replications/centralus")
                            .at("/properties/provisioningState")
                            .asText()));

    bed.editSpec("subnet-full", s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
    ArtifactStore store =
        bed.awaitCondition(
            "subnet-full", Conditions.STALLED, "True", "SubnetFull", Duration.ofSeconds(30));

    assertTrue(Testbed.condition(store, Conditions.STALLED).getMessage().contains("subnets/tiny"));
    assertEquals(
        List.of(),
        bed.journal("/registries/itfull1/replications/westus", e -> e.method().equals("PUT")));
  }

  @Test
  void conditionsNameEachStepInTurnAndTransitionTimesMoveOnlyOnChange() throws Exception {
    List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    List<String> readyTransitions = Collections.synchronizedList(new ArrayList<>());
    Watch watch =
        bed.client
            .resources(ArtifactStore.class)
            .inNamespace(Testbed.NAMESPACE)
            .withName("walkthrough")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ArtifactStore s) {
                    Condition reconciling = Testbed.condition(s, Conditions.RECONCILING);
                    if (reconciling != null
                        && "True".equals(reconciling.getStatus())
                        && (reasons.isEmpty()
                            || !reasons.get(reasons.size() - 1).equals(reconciling.getReason()))) {
                      reasons.add(reconciling.getReason());
                    }
                    Condition ready = Testbed.condition(s, Conditions.READY);
                    if (ready != null) {
                      readyTransitions.add(ready.getStatus() + "@" + ready.getLastTransitionTime());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      bed.create(
          Testbed.store(
              "walkthrough", "itwalk1", "eastus", ReplicationStrategy.GeoReplication, true));
      ArtifactStore store = bed.awaitReady("walkthrough", Duration.ofSeconds(90));

      assertInOrder(
          reasons, List.of("CreatingPrimary", "CreatingReplica", "CreatingPrivateEndpoint"));
      for (Condition c : store.getStatus().getConditions()) {
        assertEquals(store.getMetadata().getGeneration(), c.getObservedGeneration(), c.getType());
      }
      // While Ready stayed False its transition time did not move.
      List<String> falses =
          readyTransitions.stream().filter(t -> t.startsWith("False@")).distinct().toList();
      assertEquals(1, falses.size(), "Ready False transition times: " + falses);
    } finally {
      watch.close();
    }
  }

  private static void assertInOrder(List<String> seen, List<String> expected) {
    int at = 0;
    for (String reason : seen) {
      if (at < expected.size() && reason.equals(expected.get(at))) {
        at++;
      }
    }
    assertEquals(expected.size(), at, "expected " + expected + " in order within " + seen);
  }

  private static long first(List<Journal.Entry> entries) {
    assertTrue(!entries.isEmpty(), "no such request in the journal");
    return entries.get(0).sequence();
  }
}
