package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** One store, as the steps see it, at one fixed instant; and what earlier runs left in status. */
final class StepFixtures {
  static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  static final String REGISTRY = "contosoreg";
  static final String RESOURCE_GROUP = PlatformBaseline.ARTIFACTS_GROUP;
  static final String NETWORK_GROUP = PlatformBaseline.NETWORK_GROUP;
  static final String ENDPOINT = REGISTRY + "-pe";
  static final String ZONE = PlatformBaseline.ZONE;
  static final String ZONE_ID = PlatformBaseline.zoneId();
  static final String SUBNET_ID = PlatformBaseline.subnetId(PlatformBaseline.SUBNET);
  static final String VNET_ID = SUBNET_ID.substring(0, SUBNET_ID.indexOf("/subnets/"));
  static final String LOGIN = REGISTRY + ".azurecr.io";
  static final String EAST_DATA = REGISTRY + ".eastus.data.azurecr.io";
  static final String WEST_DATA = REGISTRY + ".westus.data.azurecr.io";
  static final String REGISTRY_ID = FakeRegistries.id(RESOURCE_GROUP, REGISTRY);
  static final String ENDPOINT_ID = FakeNetwork.endpointId(NETWORK_GROUP, ENDPOINT);

  private StepFixtures() {}

  static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  /** A store in eastus (paired with westus), generation 1, with an empty status. */
  static ArtifactStore store(ReplicationStrategy strategy, boolean endpoint) {
    ArtifactStore store = Testbed.store("store", REGISTRY, "eastus", strategy, endpoint);
    store.getMetadata().setGeneration(1L);
    store.setStatus(new ArtifactStoreStatus());
    return store;
  }

  static ArtifactStore geoStore() {
    return store(ReplicationStrategy.GeoReplication, true);
  }

  /** The context of a run of {@code store}: its spec validated, its ports the fakes. */
  static StoreContext context(ArtifactStore store, FakeAzure azure) {
    return context(store, azure, clock());
  }

  static StoreContext context(ArtifactStore store, FakeAzure azure, Clock clock) {
    StoreContext ctx = new StoreContext(store, clock, "test-cluster");
    assertInstanceOf(StepResult.Done.class, new ValidateSpec(RegionTable.defaults()).run(ctx));
    return azure.connect(ctx);
  }

  /** The last run (of this generation) set condition {@code type}, a minute ago. */
  static void lastRun(ArtifactStore store, String type, String status, String reason) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage("");
    c.setObservedGeneration(1L);
    c.setLastTransitionTime(NOW.minus(Duration.ofMinutes(1)).toString());
    store.getStatus().getConditions().add(c);
  }

  /** The last run stopped, making progress, at {@code reason}. */
  static void lastStoppedAt(ArtifactStore store, String reason) {
    lastRun(store, Conditions.RECONCILING, "True", reason);
  }

  static void pending(
      ArtifactStore store, String step, String resourceId, String pollUrl, Instant startedAt) {
    store
        .getStatus()
        .setPendingOperation(new PendingOperation(step, resourceId, pollUrl, startedAt.toString()));
  }

  /**
   * The last run's write of {@code resourceId}, queued by the operator's budget ten seconds ago.
   */
  static void queuedWrite(ArtifactStore store, String resourceId) {
    pending(store, StoreContext.QUEUED_WRITE, resourceId, null, NOW.minus(Duration.ofSeconds(10)));
  }

  static void primaryFound(StoreContext ctx, boolean createdNow) {
    ctx.found(new Findings.Primary(Fact.isTrue("Succeeded", "test"), null, createdNow));
  }

  static void replicasFound(StoreContext ctx, boolean ready) {
    ctx.found(
        new Findings.Replicas(
            Fact.isTrue("Ready", "test"), ReplicationStrategy.GeoReplication, List.of(), ready));
  }
}
