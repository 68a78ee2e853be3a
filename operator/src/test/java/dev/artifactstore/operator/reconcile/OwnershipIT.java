package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.models.Sku;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.fasterxml.jackson.databind.JsonNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.RecordSet;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.Journal;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store changes only a registry it created or was told to adopt, and deletes only what it
 * created: the mark (tag artifactstoreowner) says whose a registry is.
 */
class OwnershipIT {
  static Testbed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(new ReconcileSettings(Duration.ofMinutes(10), Duration.ofSeconds(1), 0.1));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  /** A registry made in the portal, with these tags. */
  private static void madeByHand(String registry, Map<String, String> tags) {
    ContainerRegistryManager.configure()
        .withHttpClient(bed.connection.httpClient())
        .authenticate(
            bed.connection.servicePrincipal(null, "someone-else", "their-secret"),
            new AzureProfile(
                bed.connection.tenantFor(null),
                PlatformBaseline.SUBSCRIPTION,
                bed.connection.environment()))
        .serviceClient()
        .getRegistries()
        .create(
            PlatformBaseline.ARTIFACTS_GROUP,
            registry,
            (RegistryInner)
                new RegistryInner()
                    .withSku(new Sku().withName(SkuName.PREMIUM))
                    .withLocation("eastus")
                    .withTags(tags));
  }

  private static String mark(String registry) {
    JsonNode doc = bed.simulator.resource(bed.registryId(registry));
    return doc.path("tags").path(Ownership.TAG).asText(null);
  }

  private static List<Journal.Entry> writesTo(String registry, long after) {
    return bed.journal(registry, e -> e.sequence() > after && (e.isWrite() || e.isDelete()));
  }

  private static ArtifactStore single(String name, String registry) {
    return Testbed.store(name, registry, "eastus", ReplicationStrategy.SingleReplication, false);
  }

  @Test
  void aSecondStoreNamingTheSameRegistryStallsAndWritesNothing() {
    bed.create(single("first", "itowned1"));
    bed.awaitReady("first", Duration.ofSeconds(60));
    assertEquals(Testbed.CLUSTER + "/" + Testbed.NAMESPACE + "/first/created", mark("itowned1"));
    long before = bed.simulator.journal().sequence();

    bed.create(single("second", "itowned1"));
    ArtifactStore stalled =
        bed.awaitCondition(
            "second", Conditions.STALLED, "True", "OwnedByAnotherStore", Duration.ofSeconds(30));

    assertTrue(
        Testbed.condition(stalled, Conditions.STALLED)
            .getMessage()
            .contains(Testbed.NAMESPACE + "/first in cluster " + Testbed.CLUSTER));
    assertEquals(List.of(), writesTo("itowned1", before), "the second store wrote nothing");
  }

  @Test
  void anUnmarkedRegistryIsAdoptedOnlyWhenTheSpecSaysSoAndIsReleasedNotDeleted() {
    madeByHand("itadopt1", Map.of("cost-center", "42"));
    long before = bed.simulator.journal().sequence();
    ArtifactStore store = single("adopter", "itadopt1");
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    ArtifactStore refused =
        bed.awaitCondition(
            "adopter", Conditions.STALLED, "True", "AdoptionRequired", Duration.ofSeconds(30));
    assertTrue(
        Testbed.condition(refused, Conditions.STALLED).getMessage().contains("spec.adoptExisting"));
    assertEquals(List.of(), writesTo("itadopt1", before), "refused: no write");

    bed.editSpec("adopter", s -> s.setAdoptExisting(true));
    bed.awaitReady("adopter", Duration.ofSeconds(60));
    assertEquals(Testbed.CLUSTER + "/" + Testbed.NAMESPACE + "/adopter/adopted", mark("itadopt1"));
    assertEquals(
        "42",
        bed.simulator
            .resource(bed.registryId("itadopt1"))
            .path("tags")
            .path("cost-center")
            .asText(),
        "the registry's own tags stay");

    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("adopter")
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("adopter") == null);
    await().atMost(Duration.ofSeconds(30)).until(() -> mark("itadopt1") == null);
    assertNotNull(bed.simulator.resource(bed.registryId("itadopt1")), "released, not deleted");
  }

  @Test
  void aRegistryMarkedInAnotherClusterIsTakenOverOnlyWithTheAnnotation() {
    madeByHand(
        "itmoved1", Map.of(Ownership.TAG, "old-cluster/" + Testbed.NAMESPACE + "/moved/created"));
    long before = bed.simulator.journal().sequence();
    bed.create(single("moved", "itmoved1"));
    ArtifactStore stalled =
        bed.awaitCondition(
            "moved", Conditions.STALLED, "True", "OwnedByAnotherStore", Duration.ofSeconds(30));
    assertTrue(
        Testbed.condition(stalled, Conditions.STALLED)
            .getMessage()
            .contains(Ownership.TAKE_OVER_ANNOTATION + "=old-cluster"));
    assertEquals(List.of(), writesTo("itmoved1", before));

    bed.annotate("moved", Ownership.TAKE_OVER_ANNOTATION, "old-cluster");
    bed.awaitReady("moved", Duration.ofSeconds(60));
    assertEquals(Testbed.CLUSTER + "/" + Testbed.NAMESPACE + "/moved/created", mark("itmoved1"));
  }

  @Test
  void deleteRemovesARegistryThisStoreCreated() {
    ArtifactStore store = single("creator", "itcreated1");
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    bed.awaitReady("creator", Duration.ofSeconds(60));

    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("creator")
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("creator") == null);
    assertNull(bed.simulator.resource(bed.registryId("itcreated1")));
  }

  @Test
  void aRegistryAStoreBuiltBeforeMarksExistedIsMarkedCreatedOnItsFirstReconcile() {
    madeByHand("itlegacy1", Map.of());
    ArtifactStore store = single("legacy", "itlegacy1");
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    status.setPrimary(
        new RegistryStatus("eastus", bed.registryId("itlegacy1"), "Succeeded", "Enabled"));
    Condition ready = new Condition();
    ready.setType(Conditions.PRIMARY_READY);
    ready.setStatus("True");
    ready.setReason("Succeeded");
    ready.setObservedGeneration(1L);
    status.setConditions(List.of(ready));
    store.setStatus(status);

    bed.create(store);
    bed.awaitReady("legacy", Duration.ofSeconds(60));
    assertEquals(Testbed.CLUSTER + "/" + Testbed.NAMESPACE + "/legacy/created", mark("itlegacy1"));
  }

  @Test
  void anEndpointAnotherStoreCreatedIsLeftAlone() {
    bed.create(
        Testbed.store(
            "ep-first", "itepfirst", "eastus", ReplicationStrategy.SingleReplication, true));
    bed.awaitReady("ep-first", Duration.ofSeconds(60));
    long before = bed.simulator.journal().sequence();

    ArtifactStore second =
        Testbed.store(
            "ep-second", "itepsecond", "eastus", ReplicationStrategy.SingleReplication, true);
    second.getSpec().getPrivateEndpoints().get(0).setName("itepfirst-pe");
    bed.create(second);
    ArtifactStore stalled =
        bed.awaitCondition(
            "ep-second", Conditions.STALLED, "True", "OwnedByAnotherStore", Duration.ofSeconds(60));

    assertTrue(
        Testbed.condition(stalled, Conditions.STALLED).getMessage().contains("ep-first"),
        Testbed.condition(stalled, Conditions.STALLED).getMessage());
    assertEquals(List.of(), writesTo("privateEndpoints/itepfirst-pe", before));
  }

  @Test
  void anEndpointDroppedFromTheSpecIsDeletedWhenTheStoreCreatedIt() {
    bed.create(
        Testbed.store(
            "ep-drop", "itepdrop", "eastus", ReplicationStrategy.SingleReplication, true));
    bed.awaitReady("ep-drop", Duration.ofSeconds(60));
    String endpoint =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/privateEndpoints/itepdrop-pe";
    assertNotNull(bed.simulator.resource(endpoint));

    bed.editSpec("ep-drop", s -> s.getPrivateEndpoints().clear());
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.simulator.resource(endpoint) == null);
    ArtifactStore ready = bed.awaitReady("ep-drop", Duration.ofSeconds(60));
    assertEquals(List.of(), ready.getStatus().getPrivateEndpoints());
  }

  @Test
  void anEndpointReMarkedForAnotherOwnerIsNeitherWrittenNorDeleted() {
    ArtifactStore store =
        Testbed.store(
            "ep-remark", "itepremark", "eastus", ReplicationStrategy.SingleReplication, true);
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    bed.awaitReady("ep-remark", Duration.ofSeconds(60));
    NetworkManager network =
        NetworkManager.configure()
            .withHttpClient(bed.connection.httpClient())
            .authenticate(
                bed.connection.servicePrincipal(null, "someone-else", "their-secret"),
                new AzureProfile(
                    bed.connection.tenantFor(null),
                    PlatformBaseline.SUBSCRIPTION,
                    bed.connection.environment()));
    PrivateEndpointInner theirs =
        network
            .serviceClient()
            .getPrivateEndpoints()
            .getByResourceGroup(PlatformBaseline.NETWORK_GROUP, "itepremark-pe");
    theirs.withTags(Map.of(Ownership.TAG, "other-cluster/team-b/their-store/created"));
    network
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "itepremark-pe", theirs);
    long before = bed.simulator.journal().sequence();

    // Even a store allowed to adopt does not take an endpoint another store marked.
    bed.editSpec("ep-remark", s -> s.setAdoptExisting(true));
    bed.awaitCondition(
        "ep-remark", Conditions.STALLED, "True", "OwnedByAnotherStore", Duration.ofSeconds(30));
    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("ep-remark")
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("ep-remark") == null);

    assertEquals(List.of(), writesTo("privateEndpoints/itepremark-pe", before));
    assertNull(bed.simulator.resource(bed.registryId("itepremark")), "its own registry goes");
  }

  private static JsonNode record(String name) {
    return bed.simulator.resource(PlatformBaseline.zoneId() + "/A/" + name);
  }

  @Test
  void aRecordTheStoreWritesIsMarkedCreatedAndDeletedWithTheStore() {
    ArtifactStore store =
        Testbed.store("rec-del", "itrecdel", "eastus", ReplicationStrategy.SingleReplication, true);
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    bed.awaitReady("rec-del", Duration.ofSeconds(60));

    // Geo: Azure does not write the new region's record; the store does, marked.
    bed.editSpec("rec-del", s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> Testbed.readyAtGeneration(bed.get("rec-del")));
    assertEquals(
        "test-cluster/" + Testbed.NAMESPACE + "/rec-del/created",
        record("itrecdel.westus.data")
            .path("properties")
            .path("metadata")
            .path(Ownership.TAG)
            .asText(null));
    long before = bed.simulator.journal().sequence();

    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("rec-del")
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("rec-del") == null);

    assertEquals(
        1,
        bed.journal(
                "/A/itrecdel.westus.data",
                e -> e.sequence() > before && e.isDelete() && e.status() < 300)
            .size());
    assertNull(record("itrecdel.westus.data"));
  }

  @Test
  void aRecordReMarkedForAnotherOwnerIsNeitherWrittenNorDeleted() {
    ArtifactStore store =
        Testbed.store(
            "rec-remark", "itrecremark", "eastus", ReplicationStrategy.SingleReplication, true);
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    bed.create(store);
    bed.awaitReady("rec-remark", Duration.ofSeconds(60));
    // Someone else's record already holds the name the new region needs.
    bed.azure()
        .dns()
        .putARecord(
            PlatformBaseline.NETWORK_GROUP,
            PlatformBaseline.ZONE,
            "itrecremark.westus.data",
            List.of("10.9.9.9"),
            RecordSet.CREATED_TTL,
            Map.of(Ownership.TAG, "other-cluster/team-b/their-store/created"),
            null);
    long before = bed.simulator.journal().sequence();

    bed.editSpec("rec-remark", s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
    ArtifactStore stalled =
        bed.awaitCondition(
            "rec-remark",
            Conditions.STALLED,
            "True",
            "OwnedByAnotherStore",
            Duration.ofSeconds(90));
    Condition dns = Conditions.find(stalled.getStatus().getConditions(), Conditions.DNS_READY);
    assertTrue(dns.getMessage().contains("team-b/their-store"), dns.getMessage());
    bed.client
        .resources(ArtifactStore.class)
        .inNamespace(Testbed.NAMESPACE)
        .withName("rec-remark")
        .delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> bed.get("rec-remark") == null);

    assertEquals(List.of(), writesTo("/A/itrecremark.westus.data", before));
    assertEquals(
        "10.9.9.9",
        record("itrecremark.westus.data")
            .path("properties")
            .path("aRecords")
            .path(0)
            .path("ipv4Address")
            .asText());
    assertNull(bed.simulator.resource(bed.registryId("itrecremark")), "its own registry goes");
  }
}
