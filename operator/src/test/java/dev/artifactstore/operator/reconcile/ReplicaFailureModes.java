package dev.artifactstore.operator.reconcile;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Adding a replica to a registry with private endpoints, the ways Azure documents it going wrong:
 * each ends in its reason, with what a human must do, and recovers once the cause is gone. One
 * operator and simulator per test class; someone else's clients for what others do by hand.
 */
abstract class ReplicaFailureModes {
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
  static AzureProfile profile() {
    return new AzureProfile(
        bed.connection.tenantFor(null),
        PlatformBaseline.SUBSCRIPTION,
        bed.connection.environment());
  }

  static NetworkManager network() {
    return NetworkManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(
            bed.connection.servicePrincipal(null, "someone-else", "their-secret"), profile());
  }

  static ContainerRegistryManager registries() {
    return ContainerRegistryManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(
            bed.connection.servicePrincipal(null, "someone-else", "their-secret"), profile());
  }

  static ArtifactStore readySingle(String name, String registry, boolean endpoint) {
    bed.create(
        Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, endpoint));
    return bed.awaitReady(name, Duration.ofSeconds(60));
  }

  static void toGeo(String name) {
    bed.editSpec(name, s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
  }

  static List<Journal.Entry> operatorWrites(long after) {
    return bed.simulator
        .journal()
        .entries(
            e ->
                e.sequence() > after
                    && OPERATOR.equals(e.client())
                    && (e.isWrite() || e.isDelete()));
  }

  static String message(ArtifactStore store, String type) {
    Condition c = Testbed.condition(store, type);
    return c == null ? "" : c.getMessage();
  }

  static PrivateEndpointInner foreignEndpoint(String subnetId, String registry) {
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
