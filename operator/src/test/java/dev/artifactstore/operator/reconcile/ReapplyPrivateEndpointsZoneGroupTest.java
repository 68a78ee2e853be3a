package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.ReapplyPrivateEndpointsTest.COMPLETE;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.LOGIN;
import static dev.artifactstore.operator.reconcile.StepFixtures.SUBNET_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.ZONE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DnsRecordStatus;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A complete endpoint's DNS zone group is made to hold the store's zone. */
class ReapplyPrivateEndpointsZoneGroupTest {
  private static final ZoneGroup.Zone OURS = new ZoneGroup.Zone("privatelink-azurecr-io", ZONE_ID);

  /** What the group reports writing into the store's zone: one record per name. */
  private static final Map<String, Map<String, List<String>>> REPORT =
      Map.of(
          ZONE_ID.toLowerCase(Locale.ROOT),
          Map.of(
              "contosoreg", List.of("10.0.0.4"),
              "contosoreg.eastus.data", List.of("10.0.0.5"),
              "contosoreg.westus.data", List.of("10.0.0.6")));

  private final FakeAzure azure = new FakeAzure();
  private final ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  private StepResult run() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, true);
    return new ReapplyPrivateEndpoints().run(ctx);
  }

  private void completeEndpoint() {
    azure.network.add(
        FakeNetwork.endpoint(ENDPOINT, "Succeeded", COMPLETE, false, SUBNET_ID, false));
  }

  private void group(String name, String state, List<ZoneGroup.Zone> zones) {
    azure.network.zoneGroups.put(ENDPOINT, new ZoneGroup(name, state, zones, REPORT));
  }

  /** The last run's status of the endpoint, with records when it was seen complete. */
  private void before(String state, List<DnsRecordStatus> records) {
    store
        .getStatus()
        .getPrivateEndpoints()
        .add(new PrivateEndpointStatus(ENDPOINT, ENDPOINT_ID, state, records));
  }

  private static ZoneGroup.Zone other(int i) {
    return new ZoneGroup.Zone("zone-" + i, ZONE_ID.replace("privatelink.", "z" + i + "."));
  }

  private Findings.Endpoints found() {
    return ctx.findings().endpoints();
  }

  @Test
  void anEndpointWithoutAZoneGroupGetsOneNamedLikeThePortals() {
    completeEndpoint();

    var linking = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ZoneGroups.LINKING_ZONE, linking.reason());
    assertEquals(FakeAzure.RETRY_AFTER, linking.after());
    assertEquals(
        List.of(
            "GET endpoint contosoreg-pe",
            "GET zonegroup contosoreg-pe",
            "PUT zonegroup contosoreg-pe/default"),
        azure.calls);
    assertEquals(List.of(OURS), azure.network.zoneGroups.get(ENDPOINT).zones());
    assertEquals("LinkingZone", found().fact().reason());
  }

  @Test
  void anExistingGroupKeepsItsNameAndZonesAndGainsTheStoresZone() {
    completeEndpoint();
    // Another zone's configuration already has the portal's name: ours gets the next one.
    ZoneGroup.Zone namesake = new ZoneGroup.Zone(OURS.name(), other(1).zoneId());
    group("corp", "Succeeded", List.of(namesake));

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("PUT zonegroup contosoreg-pe/corp"), azure.calls("PUT "));
    assertEquals(
        List.of(namesake, new ZoneGroup.Zone("privatelink-azurecr-io-2", ZONE_ID)),
        azure.network.zoneGroups.get(ENDPOINT).zones());
  }

  @Test
  void aGroupFullOfOtherZonesStalls() {
    completeEndpoint();
    List<ZoneGroup.Zone> five = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      five.add(other(i));
    }
    group("corp", "Succeeded", five);

    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("ZoneGroupFull", stalled.reason());
    assertEquals("ZoneGroupFull", found().fact().reason());
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aGroupHoldingTheZoneIsDoneAndItsReportPassedOn() {
    completeEndpoint();
    group("default", "Succeeded", List.of(OURS));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET endpoint contosoreg-pe", "GET zonegroup contosoreg-pe"), azure.calls);
    assertEquals(COMPLETE, found().published().get(ENDPOINT));
    assertEquals(
        REPORT.get(ZONE_ID.toLowerCase(Locale.ROOT)), found().zoneGroupRecords().get(ENDPOINT));
    assertNull(found().fact(), "the DNS step decides the fact");
  }

  @Test
  void aGroupStillUpdatingIsWaitedFor() {
    completeEndpoint();
    group("default", "Updating", List.of(OURS));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ZoneGroups.LINKING_ZONE, waiting.reason());
    assertEquals(Backoff.DEFAULT_POLL, waiting.after());
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aFailedGroupIsWrittenAgainUnderItsName() {
    completeEndpoint();
    group("corp", "Failed", List.of(OURS));

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(List.of("PUT zonegroup contosoreg-pe/corp"), azure.calls("PUT "));
    assertEquals(List.of(OURS), azure.network.zoneGroups.get(ENDPOINT).zones());
  }

  @Test
  void anEndpointSeenCompleteBeforeIsNotCheckedForItsGroupAgain() {
    before("Succeeded", List.of(new DnsRecordStatus(LOGIN, List.of("10.0.0.4"))));
    completeEndpoint();

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET endpoint contosoreg-pe"), azure.calls);
    assertEquals(COMPLETE, found().published().get(ENDPOINT));
  }

  @Test
  void anEndpointJustCreatedIsLinkedWithoutLookingForAGroup() {
    before("Creating", List.of());
    StepFixtures.lastStoppedAt(store, ReapplyPrivateEndpoints.CREATING);
    completeEndpoint();

    assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(
        List.of("GET endpoint contosoreg-pe", "PUT zonegroup contosoreg-pe/default"), azure.calls);
  }

  @Test
  void aGroupJustLinkedVouchesForTheEndpointWithoutReadingIt() {
    before("Succeeded", List.of());
    StepFixtures.lastStoppedAt(store, ZoneGroups.LINKING_ZONE);
    group("default", "Succeeded", List.of(OURS));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET zonegroup contosoreg-pe"), azure.calls);
    assertEquals(COMPLETE, found().published().get(ENDPOINT));
    assertEquals("Succeeded", found().endpoints().get(0).getProvisioningState());
  }

  @Test
  void aGroupJustLinkedThatMissesANameSendsTheStepToTheEndpoint() {
    before("Succeeded", List.of());
    StepFixtures.lastStoppedAt(store, ZoneGroups.LINKING_ZONE);
    azure.network.zoneGroups.put(
        ENDPOINT,
        new ZoneGroup(
            "default",
            "Succeeded",
            List.of(OURS),
            Map.of(ZONE_ID.toLowerCase(Locale.ROOT), Map.of("contosoreg", List.of("10.0.0.4")))));
    completeEndpoint();

    run();

    assertTrue(azure.calls.contains("GET endpoint contosoreg-pe"), azure.calls.toString());
  }

  @Test
  void aQueuedGroupWriteGoesOutWithoutReadingTheEndpoint() {
    before("Succeeded", List.of());
    StepFixtures.queuedWrite(store, ENDPOINT_ID + "/privateDnsZoneGroups/default");
    completeEndpoint();

    var linking = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(ZoneGroups.LINKING_ZONE, linking.reason());
    assertEquals(
        List.of("GET zonegroup contosoreg-pe", "PUT zonegroup contosoreg-pe/default"), azure.calls);
    assertEquals("Succeeded", found().endpoints().get(0).getProvisioningState());
  }
}
