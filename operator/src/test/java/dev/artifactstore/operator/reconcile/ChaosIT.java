package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import dev.artifactstore.simulator.faults.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Stores of every kind while the simulator injects random 500s, 503s, 429s, dropped connections and
 * failed operations, West US goes down for a while, the operator is replaced several times and the
 * simulator restarts once from its state file. After the faults stop, every valid store becomes
 * Ready, and Azure holds exactly what the specs say.
 *
 * <p>Quick by default (in {@code verify}); the long mode: {@code -Dchaos.stores=200
 * -Dchaos.restarts=5 -Dchaos.faultSeconds=120 -Dchaos.readySeconds=900}.
 */
class ChaosIT {
  static final int STORES = Integer.getInteger("chaos.stores", 12);
  static final int RESTARTS = Integer.getInteger("chaos.restarts", 2);
  static final double RATE = Double.parseDouble(System.getProperty("chaos.faultRate", "0.05"));
  static final Duration FAULTS = Duration.ofSeconds(Long.getLong("chaos.faultSeconds", 40));
  static final Duration READY = Duration.ofSeconds(Long.getLong("chaos.readySeconds", 120));

  /**
   * Resyncs keep Ready stores reading (so faults reach them too) without spending more than about
   * half of ARM's 25 reads per second: a resync costs up to 4 reads.
   */
  static final Duration RESYNC = Duration.ofSeconds(Math.max(5, STORES * 4 / 12));

  @Test
  void everyStoreConvergesAndAzureHoldsExactlyWhatTheSpecsSay() throws Exception {
    Path state = Files.createTempDirectory("chaos").resolve("state.json");
    try (Testbed bed =
        new Testbed(
            new ReconcileSettings(RESYNC, Duration.ofSeconds(5), 0.1, Duration.ofSeconds(5)),
            LatencyProfile.realistic(0.02),
            o -> o.stateFile(state),
            ReconcileObserver.NONE)) {
      List<ArtifactStore> valid = new ArrayList<>();
      for (int i = 0; i < STORES; i++) {
        ReplicationStrategy strategy =
            i % 3 == 0 ? ReplicationStrategy.SingleReplication : ReplicationStrategy.GeoReplication;
        String location = List.of("eastus", "westus3", "southcentralus").get(i % 7 % 3);
        // Stores with an endpoint among the first six start single-region and are made geo
        // during the faults: the retrofit, where replicas get stuck and connections go Pending.
        boolean retrofit = i % 3 == 2 && i < 6;
        ArtifactStore store =
            Testbed.store(
                "chaos-" + i,
                "chaos" + i + "x",
                location,
                retrofit ? ReplicationStrategy.SingleReplication : strategy,
                i % 3 == 2);
        if (i % 6 == 5) {
          // A hub in the connectivity subscription: the endpoint is created there.
          var endpoint = store.getSpec().getPrivateEndpoints().get(0);
          endpoint.setSubnetId(PlatformBaseline.connectivitySubnetId());
          endpoint.setResourceGroup(PlatformBaseline.CONNECTIVITY_GROUP);
        }
        valid.add(bed.create(store));
      }
      bed.create(
          Testbed.store(
              "chaos-unpaired",
              "chaosunpaired",
              "centralus",
              ReplicationStrategy.GeoReplication,
              false));
      ArtifactStore badName =
          Testbed.store(
              "chaos-badname",
              "chaos_bad!",
              "eastus",
              ReplicationStrategy.SingleReplication,
              false);
      bed.create(badName);

      for (ArtifactStore store : valid) {
        if (store.getSpec().getReplicationStrategy() == ReplicationStrategy.SingleReplication
            && !store.getSpec().getPrivateEndpoints().isEmpty()) {
          bed.awaitReady(store.getMetadata().getName(), Duration.ofSeconds(60));
        }
      }
      bed.simulator.faults().setRandomFaults(RATE, 42);
      // Connections go Pending after a new replica (the operator approves them), and replicas of
      // registries with endpoints stay Creating while the proxy permission is missing.
      bed.simulator.faults().setPendingAfterReplica(true);
      bed.simulator.faults().withhold(ReplicaFailureModesIT.OPERATOR, Faults.PROXY_WRITE, true);
      List<String> retrofits = new ArrayList<>();
      for (ArtifactStore store : valid) {
        if (store.getSpec().getReplicationStrategy() == ReplicationStrategy.SingleReplication
            && !store.getSpec().getPrivateEndpoints().isEmpty()) {
          retrofits.add(store.getMetadata().getName());
          store.getSpec().setReplicationStrategy(ReplicationStrategy.GeoReplication);
        }
      }
      for (String name : retrofits) {
        bed.editSpec(name, s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
      }
      Map<String, Long> injected = new TreeMap<>();
      Instant start = Instant.now();
      Duration step = FAULTS.dividedBy(RESTARTS + 3);
      boolean outage = false;
      boolean simulatorRestarted = false;
      for (int k = 1; Duration.between(start, Instant.now()).compareTo(FAULTS) < 0; k++) {
        Thread.sleep(step.toMillis());
        if (k == 1) {
          bed.simulator.setRegionDown("westus", true);
          outage = true;
        } else if (k == 2 && outage) {
          bed.simulator.setRegionDown("westus", false);
        } else if (k == 3 && !simulatorRestarted) {
          bed.simulator
              .faults()
              .injected()
              .forEach((kind, n) -> injected.merge(kind, n, Long::sum));
          bed.restartSimulator();
          bed.simulator.faults().setRandomFaults(RATE, 43);
          bed.simulator.faults().setPendingAfterReplica(true);
          simulatorRestarted = true;
        }
        if (k <= RESTARTS) {
          bed.stopOperator();
          bed.startOperator();
        }
      }
      bed.simulator.faults().injected().forEach((kind, n) -> injected.merge(kind, n, Long::sum));
      bed.simulator.faults().setRandomFaults(0, 0);
      bed.simulator.faults().withhold(ReplicaFailureModesIT.OPERATOR, Faults.PROXY_WRITE, false);
      bed.simulator.setRegionDown("westus", false);
      System.out.printf(
          "chaos: %d stores, %d operator restarts, simulator restarted: %s, faults injected: %s%n",
          STORES, RESTARTS, simulatorRestarted, injected);

      Instant faultsStopped = Instant.now();
      // As a human would: for a store Stalled on a stuck replica, ask for the replica again.
      await()
          .atMost(READY)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                for (ArtifactStore s : valid) {
                  ArtifactStore now = bed.get(s.getMetadata().getName());
                  if (Testbed.is(now, Conditions.STALLED, "True")
                      && EnsurePairedReplica.STUCK.equals(
                          Testbed.condition(now, Conditions.STALLED).getReason())) {
                    bed.annotate(
                        s.getMetadata().getName(), EnsurePairedReplica.RECREATE_ANNOTATION, "true");
                  }
                }
                return valid.stream()
                    .allMatch(s -> Testbed.readyAtGeneration(bed.get(s.getMetadata().getName())));
              });
      System.out.printf(
          "chaos: every store Ready %d s after the faults stopped; since: %s%n",
          Duration.between(faultsStopped, Instant.now()).toSeconds(),
          bed.simulator.faults().injected());

      assertInvariants(bed, valid);
      assertTrue(
          injected.values().stream().mapToLong(Long::longValue).sum() > 0,
          "no fault was injected: " + injected);
    }
  }

  /** The one mark a resource carries, or null. */
  private static String markOf(JsonNode resource) {
    JsonNode mark = resource == null ? null : resource.path("tags").get(Ownership.TAG);
    return mark == null ? null : mark.asText();
  }

  private static void assertInvariants(Testbed bed, List<ArtifactStore> valid) {
    RegionTable regions = RegionTable.defaults();
    List<Journal.Entry> journal = bed.allJournal();
    Set<String> expectedRecords = new TreeSet<>();
    Set<String> expectedEndpoints = new TreeSet<>();
    for (ArtifactStore store : valid) {
      String registry = store.getSpec().getRegistryName();
      String home = RegionTable.normalise(store.getSpec().getLocation());
      Set<String> replicas =
          bed.simulator.withState(
              s ->
                  s.children(bed.registryId(registry), "replications").stream()
                      .map(r -> r.get("location").asText())
                      .collect(Collectors.toCollection(TreeSet::new)));
      Set<String> expected = new TreeSet<>(Set.of(home));
      if (store.getSpec().getReplicationStrategy() == ReplicationStrategy.GeoReplication) {
        expected.add(regions.pairOf(home).orElseThrow());
      }
      assertEquals(
          expected, replicas, registry + ": one replica, in the pair region, and no other");
      String mark =
          Testbed.CLUSTER
              + "/"
              + store.getMetadata().getNamespace()
              + "/"
              + store.getMetadata().getName()
              + "/created";
      assertEquals(mark, markOf(bed.simulator.resource(bed.registryId(registry))), registry);
      for (String region : expected) {
        if (!region.equals(home)) {
          String replica = bed.registryId(registry) + "/replications/" + region;
          assertEquals(mark, markOf(bed.simulator.resource(replica)), replica);
        }
      }
      if (!store.getSpec().getPrivateEndpoints().isEmpty()) {
        expectedEndpoints.add(
            store.getSpec().getPrivateEndpoints().get(0).getName().toLowerCase(Locale.ROOT));
        expectedRecords.add(registry.toLowerCase(Locale.ROOT));
        expected.forEach(
            r -> expectedRecords.add(registry.toLowerCase(Locale.ROOT) + "." + r + ".data"));
      }
    }
    Set<String> records =
        bed.simulator.withState(
            s ->
                s.children(PlatformBaseline.zoneId(), "A").stream()
                    .map(r -> r.get("name").asText())
                    .collect(Collectors.toCollection(TreeSet::new)));
    assertEquals(expectedRecords, records, "the zone holds exactly the required records");
    // Every record the operator wrote itself carries the mark of the store whose registry it names.
    Map<String, String> storeOfRegistry =
        valid.stream()
            .collect(
                Collectors.toMap(
                    s -> s.getSpec().getRegistryName().toLowerCase(Locale.ROOT),
                    s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
    for (String name : records) {
      String recordId = PlatformBaseline.zoneId() + "/A/" + name;
      boolean written =
          journal.stream()
              .anyMatch(
                  e ->
                      e.method().equals("PUT")
                          && e.status() < 300
                          && e.path().equalsIgnoreCase(recordId));
      if (written) {
        String mark =
            bed.simulator
                .resource(recordId)
                .path("properties")
                .path("metadata")
                .path(Ownership.TAG)
                .asText(null);
        String store = storeOfRegistry.get(name.split("\\.")[0]);
        assertTrue(
            mark != null
                && mark.matches(
                    Pattern.quote(Testbed.CLUSTER + "/" + store + "/") + "(created|adopted)"),
            recordId + " carries its store's mark: " + mark);
      }
    }
    // Each endpoint in its network's region and subscription: the hub's (eastus) or the
    // connectivity hub's (eastus2).
    Map<String, String> hubs =
        Map.of(
            PlatformBaseline.SUBSCRIPTION + "/resourceGroups/" + PlatformBaseline.NETWORK_GROUP,
            "eastus",
            PlatformBaseline.CONNECTIVITY_SUBSCRIPTION
                + "/resourceGroups/"
                + PlatformBaseline.CONNECTIVITY_GROUP,
            PlatformBaseline.CONNECTIVITY_REGION);
    Set<String> endpoints = new TreeSet<>();
    for (var hub : hubs.entrySet()) {
      String endpointsPrefix =
          ("/subscriptions/" + hub.getKey() + "/providers/Microsoft.Network/privateEndpoints/")
              .toLowerCase(Locale.ROOT);
      for (ObjectNode endpoint :
          bed.simulator.withState(
              s ->
                  s
                      .list(
                          k ->
                              k.startsWith(endpointsPrefix)
                                  && k.indexOf('/', endpointsPrefix.length()) < 0)
                      .stream()
                      .map(ObjectNode.class::cast)
                      .toList())) {
        endpoints.add(endpoint.get("name").asText().toLowerCase(Locale.ROOT));
        String mark = markOf(endpoint);
        assertTrue(
            mark != null && mark.startsWith(Testbed.CLUSTER + "/") && mark.endsWith("/created"),
            endpoint.get("id").asText() + " carries its store's mark: " + mark);
        assertEquals(
            hub.getValue(),
            endpoint.get("location").asText(),
            endpoint.get("id").asText() + " is in its network's region");
      }
    }
    assertEquals(expectedEndpoints, endpoints, "no endpoint the operator did not declare");
    assertEquals(
        List.of(),
        journal.stream()
            .filter(e -> e.isDelete() && e.status() < 300)
            // A stuck replica is deleted and made again when the store asks for it.
            .filter(e -> !e.path().contains("/replications/"))
            .toList(),
        "nothing deleted under Retain");
    assertEquals(
        List.of(),
        journal.stream()
            .filter(e -> e.path().contains("chaosunpaired") || e.path().contains("chaos_bad"))
            .toList(),
        "no request about a store whose spec is invalid");
  }
}
