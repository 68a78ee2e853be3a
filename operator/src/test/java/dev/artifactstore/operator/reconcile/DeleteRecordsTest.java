package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DeletionPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deleting a store: each record goes by its mark, read at delete time. */
class DeleteRecordsTest {
  private static final String MARK = "test-cluster/" + Testbed.NAMESPACE + "/store/";

  private final FakeAzure azure = new FakeAzure();
  private final ArtifactStore store = StepFixtures.geoStore();

  private DeleteAzureResources.Progress delete() {
    store.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    return new DeleteAzureResources().run(StepFixtures.context(store, azure));
  }

  @Test
  void createdRecordsGoAdoptedOnesAreReleasedAndOthersStay() {
    azure.dns.set(ZONE, "contosoreg", Map.of(Ownership.TAG, MARK + "adopted"), "10.0.0.4");
    azure.dns.set(
        ZONE, "contosoreg.eastus.data", Map.of(Ownership.TAG, MARK + "created"), "10.0.0.5");
    azure.dns.set(
        ZONE,
        "contosoreg.westus.data",
        Map.of(Ownership.TAG, "test-cluster/other-team/theirs/created"),
        "10.0.0.6");

    assertTrue(delete().done());

    assertEquals(
        List.of("DELETE record " + ZONE + "/contosoreg.eastus.data"), azure.calls("DELETE record"));
    assertEquals(List.of("PUT record " + ZONE + "/contosoreg"), azure.calls("PUT record"));
    assertNull(azure.dns.addresses(ZONE, "contosoreg.eastus.data"));
    assertEquals(Map.of(), azure.dns.zones.get(ZONE).get("contosoreg").metadata());
    assertEquals(
        FakeDns.HAND_MADE_TTL,
        azure.dns.zones.get(ZONE).get("contosoreg").ttl(),
        "a released record keeps its time to live");
    assertEquals(List.of("10.0.0.4"), azure.dns.addresses(ZONE, "contosoreg"));
    assertEquals(List.of("10.0.0.6"), azure.dns.addresses(ZONE, "contosoreg.westus.data"));
  }

  @Test
  void anUnmarkedRecordGoesOnlyWhenTheStatusRecordedItAndTheStoreDoesNotAdopt() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");

    assertTrue(delete().done());

    assertEquals(List.of(), azure.calls("DELETE record"), "not recorded: left alone");
    assertEquals(List.of("10.0.0.4"), azure.dns.addresses(ZONE, "contosoreg"));
  }
}
