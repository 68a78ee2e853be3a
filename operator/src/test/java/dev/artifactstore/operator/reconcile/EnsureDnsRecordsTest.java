package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.EAST_DATA;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT;
import static dev.artifactstore.operator.reconcile.StepFixtures.ENDPOINT_ID;
import static dev.artifactstore.operator.reconcile.StepFixtures.LOGIN;
import static dev.artifactstore.operator.reconcile.StepFixtures.WEST_DATA;
import static dev.artifactstore.operator.reconcile.StepFixtures.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DnsRecordStatus;
import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.RecordSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnsureDnsRecordsTest {
  private static final String DATA_RECORD = "contosoreg.eastus.data";

  private final FakeAzure azure = new FakeAzure();
  private final ZoneSnapshots snapshots =
      new ZoneSnapshots(StepFixtures.clock(), Duration.ofSeconds(30));
  private ArtifactStore store = StepFixtures.geoStore();
  private StoreContext ctx;

  /** What the endpoint publishes, as the endpoint step found it: FQDN -> IPs. */
  private Map<String, List<String>> published =
      Map.of(LOGIN, List.of("10.0.0.4"), EAST_DATA, List.of("10.0.0.5"));

  /** What the endpoint's zone group reported this run (name -> IPs); null when not read. */
  private Map<String, List<String>> zoneGroupReport;

  private boolean replicaReady;

  private StepResult run() {
    ctx = StepFixtures.context(store, azure);
    StepFixtures.primaryFound(ctx, false);
    StepFixtures.replicasFound(ctx, replicaReady);
    ctx.found(
        new Findings.Endpoints(
            null,
            List.of(new PrivateEndpointStatus(ENDPOINT, ENDPOINT_ID, "Succeeded", List.of())),
            Map.of(ENDPOINT, published),
            zoneGroupReport == null ? Map.of() : Map.of(ENDPOINT, zoneGroupReport)));
    return new EnsureDnsRecords(snapshots).run(ctx);
  }

  private Findings.Records found() {
    return ctx.findings().records();
  }

  @Test
  void onlyTheRecordThatDiffersIsWritten() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.99");

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(
        List.of(
            "LIST records " + ZONE,
            "GET record " + ZONE + "/" + DATA_RECORD,
            "PUT record " + ZONE + "/" + DATA_RECORD),
        azure.calls);
    assertEquals(List.of("10.0.0.5"), azure.dns.addresses(ZONE, DATA_RECORD));
    assertEquals(
        FakeDns.HAND_MADE_TTL,
        azure.dns.zones.get(ZONE).get(DATA_RECORD).ttl(),
        "a rewritten record keeps its time to live");
    assertEquals("RecordsComplete", found().fact().reason());
    assertTrue(found().fact().message().contains("1 record(s) written"), found().fact().message());
    assertEquals(
        List.of(
            new DnsRecordStatus(LOGIN, List.of("10.0.0.4")),
            new DnsRecordStatus(EAST_DATA, List.of("10.0.0.5"))),
        found().endpoints().get(0).getDnsRecords());
  }

  @Test
  void rightRecordsAreLeftAlone() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.5");

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("LIST records " + ZONE), azure.calls);
    assertTrue(found().fact().message().endsWith("endpoint(s)."), found().fact().message());
  }

  @Test
  void aMissingRecordIsCreated() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("PUT record " + ZONE + "/" + DATA_RECORD), azure.calls("PUT "));
    assertEquals(List.of("10.0.0.5"), azure.dns.addresses(ZONE, DATA_RECORD));
    assertEquals(RecordSet.CREATED_TTL, azure.dns.zones.get(ZONE).get(DATA_RECORD).ttl());
  }

  @Test
  void recordsTheStoreDoesNotNeedAreLeftAlone() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.5");
    azure.dns.set(ZONE, "someoneelse", "10.9.9.9");

    run();

    assertEquals(List.of("LIST records " + ZONE), azure.calls);
    assertEquals(List.of("10.9.9.9"), azure.dns.addresses(ZONE, "someoneelse"));
  }

  @Test
  void aMissingZoneStallsAsInvalidSpec() {
    var stalled = assertInstanceOf(StepResult.Stalled.class, run());

    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(stalled.message().contains(StepFixtures.ZONE_ID));
    assertEquals("ZoneNotFound", found().fact().reason());
    assertEquals(List.of("LIST records " + ZONE), azure.calls);
  }

  @Test
  void aRecordChangedWhileBeingWrittenIsReadAgainSoon() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.failOn(
        "PUT record " + ZONE + "/" + DATA_RECORD,
        new AzureFailure(AzureFailure.Kind.REJECTED, 412, "PreconditionFailed", "changed", null));

    var writing = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsureDnsRecords.WRITING, writing.reason());
    assertEquals(Backoff.MIN_POLL, writing.after());
    assertNull(found().fact(), "the endpoint step's fact stands");
    assertEquals(ENDPOINT, found().endpoints().get(0).getName());
  }

  @Test
  void aListingOlderThanTheZoneIsCheckedByReadingTheRecordBeforeWriting() {
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.5");
    run();
    // The endpoint moved and someone already fixed its record; the shared listing has not seen it.
    published = Map.of(LOGIN, List.of("10.0.0.4"), EAST_DATA, List.of("10.0.0.7"));
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.7");
    azure.calls.clear();

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("GET record " + ZONE + "/" + DATA_RECORD), azure.calls);
  }

  @Test
  void whatTheZoneGroupReportedSparesTheListing() {
    zoneGroupReport = Map.of("contosoreg", List.of("10.0.0.4"), DATA_RECORD, List.of("10.0.0.5"));

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of(), azure.calls);
    assertEquals("RecordsComplete", found().fact().reason());
  }

  @Test
  void aNameTheEndpointHasNoAddressForYetLeavesTheRecordsIncomplete() {
    published = Map.of(LOGIN, List.of("10.0.0.4"));
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");

    var writing = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(EnsureDnsRecords.WRITING, writing.reason());
    assertEquals(Backoff.DEFAULT_POLL, writing.after());
    assertEquals("RecordsIncomplete", found().fact().reason());
    assertEquals(List.of(), azure.calls("PUT "));
  }

  @Test
  void aServingReplicaNeedsItsRegionsDataRecordToo() {
    replicaReady = true;
    published =
        Map.of(
            LOGIN, List.of("10.0.0.4"),
            EAST_DATA, List.of("10.0.0.5"),
            WEST_DATA, List.of("10.0.0.6"));
    azure.dns.set(ZONE, "contosoreg", "10.0.0.4");
    azure.dns.set(ZONE, DATA_RECORD, "10.0.0.5");

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of("PUT record " + ZONE + "/contosoreg.westus.data"), azure.calls("PUT "));
    assertEquals(3, found().endpoints().get(0).getDnsRecords().size());
  }

  @Test
  void aStoreWithoutEndpointsCallsNothing() {
    store = StepFixtures.store(ReplicationStrategy.GeoReplication, false);

    assertInstanceOf(StepResult.Done.class, run());

    assertEquals(List.of(), azure.calls);
    assertNull(found());
  }
}
