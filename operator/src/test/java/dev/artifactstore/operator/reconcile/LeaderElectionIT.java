package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.OperatorRuntime;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances on one API server: only the Lease holder writes to Azure, and when it
 * stops the other takes over within the lease duration, without writing anything twice.
 */
class LeaderElectionIT {
  static final Duration LEASE = Duration.ofSeconds(4);

  @Test
  void onlyTheLeaderWritesAndAStoppedLeaderIsReplacedWithinTheLeaseDuration() throws Exception {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
        Simulator simulator =
            Simulator.start(
                Simulator.options().port(0).dataDir(Files.createTempDirectory("leader")))) {
      KubernetesClient client = kubernetes.client();
      Map<String, OperatorRuntime> instances = new HashMap<>();
      for (String id : List.of("instance-a", "instance-b")) {
        AzureConnection connection =
            AzureConnection.custom(
                simulator.endpoint(),
                simulator.caCertificate(),
                new AzureConnection.DefaultIdentity(null, id, "s"));
        if (instances.isEmpty()) {
          PlatformBaseline.create(connection);
        }
        instances.put(
            id,
            OperatorRuntime.start(
                new OperatorRuntime.Config(
                    Testbed.CLUSTER,
                    client,
                    new AzureClients(connection, List.of()),
                    RegionTable.defaults(),
                    ReconcileSettings.defaults(),
                    Set.of(Testbed.NAMESPACE),
                    4,
                    Clock.systemUTC(),
                    ReconcileObserver.NONE,
                    null,
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            "artifactstore-operator")
                        .withLeaseNamespace(Testbed.NAMESPACE)
                        .withIdentity(id)
                        .withLeaseDuration(LEASE)
                        .withRenewDeadline(Duration.ofSeconds(3))
                        .withRetryPeriod(Duration.ofMillis(500))
                        .withExitOnStopLeading(false)
                        .build(),
                    null,
                    Set.of("*"),
                    false)));
      }
      long setup = simulator.journal().sequence();
      for (int i = 1; i <= 3; i++) {
        client
            .resource(
                Testbed.store(
                    "led-" + i,
                    "itleader" + i,
                    "eastus",
                    ReplicationStrategy.GeoReplication,
                    false))
            .create();
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> List.of(1, 2, 3).stream().allMatch(i -> ready(client, "led-" + i)));

      String leader =
          client
              .resources(Lease.class)
              .inNamespace(Testbed.NAMESPACE)
              .withName("artifactstore-operator")
              .get()
              .getSpec()
              .getHolderIdentity();
      Set<String> writers = writers(simulator, setup);
      assertEquals(Set.of(leader), writers, "only the Lease holder writes to Azure");

      instances.get(leader).close();
      Instant stopped = Instant.now();
      long afterStop = simulator.journal().sequence();
      client
          .resource(
              Testbed.store(
                  "led-4", "itleader4", "eastus", ReplicationStrategy.SingleReplication, false))
          .create();
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(client, "led-4"));

      String follower = leader.equals("instance-a") ? "instance-b" : "instance-a";
      assertEquals(Set.of(follower), writers(simulator, afterStop));
      Journal.Entry firstWrite =
          simulator.journal().entries(e -> e.sequence() > afterStop && e.isWrite()).get(0);
      Duration handover = Duration.between(stopped, firstWrite.time());
      System.out.printf(
          "leader election: %s stopped, %s wrote %d ms later (lease %d s)%n",
          leader, follower, handover.toMillis(), LEASE.toSeconds());
      assertTrue(handover.compareTo(LEASE.plusSeconds(3)) < 0, "handover took " + handover);

      Map<String, Long> registryPuts =
          simulator
              .journal()
              .entries(
                  e -> e.method().equals("PUT") && e.path().matches(".*/registries/itleader\\d+$"))
              .stream()
              .collect(Collectors.groupingBy(e -> e.path(), Collectors.counting()));
      assertTrue(
          registryPuts.values().stream().allMatch(n -> n == 1), "registry PUTs: " + registryPuts);
      instances.get(follower).close();
    }
  }

  private static boolean ready(KubernetesClient client, String name) {
    ArtifactStore s =
        client.resources(ArtifactStore.class).inNamespace(Testbed.NAMESPACE).withName(name).get();
    return s != null && Testbed.readyAtGeneration(s);
  }

  private static Set<String> writers(Simulator simulator, long after) {
    return simulator
        .journal()
        .entries(e -> e.sequence() > after && (e.isWrite() || e.isDelete()))
        .stream()
        .map(Journal.Entry::client)
        .collect(Collectors.toSet());
  }
}
