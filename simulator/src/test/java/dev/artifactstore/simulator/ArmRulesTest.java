package dev.artifactstore.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.artifactstore.simulator.arm.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each documented Azure rule answers its status and ARM error code. */
class ArmRulesTest {
  static final String SUB = "/subscriptions/" + Simulator.DEFAULT_SUBSCRIPTION;
  static final String RG = SUB + "/resourceGroups/rules";
  static final String ACR = RG + "/providers/Microsoft.ContainerRegistry/registries/";
  static final String V = "?api-version=2025-11-01";

  @TempDir static Path dataDir;
  static Simulator simulator;
  static ArmHttp arm;

  @BeforeAll
  static void start() {
    // Realistic durations scaled down: a registry takes 0.4 s, a replica 1.8 s.
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .stateFile(dataDir.resolve(StateRecovery.STATE_FILE))
                .profile(LatencyProfile.realistic(0.02))
                .replicaCooldown(Duration.ofMinutes(5)));
    arm = new ArmHttp(simulator);
    arm.call("PUT", RG + "?api-version=2024-11-01", Map.of("location", "eastus"));
    registry("premiumok", "Premium", "eastus", "Enabled");
    registry("basicone", "Basic", "eastus", "Disabled");
    waitSucceeded(ACR + "premiumok");
    waitSucceeded(ACR + "basicone");
    arm.call("PUT", ACR + "premiumok/replications/westus" + V, Map.of("location", "westus"));
    waitSucceeded(ACR + "premiumok/replications/westus");
    arm.call("PUT", ACR + "premiumok/replications/centralus" + V, Map.of("location", "centralus"));
    waitSucceeded(ACR + "premiumok/replications/centralus");
    arm.call("DELETE", ACR + "premiumok/replications/centralus" + V, null);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                arm.call("GET", ACR + "premiumok/replications/centralus" + V, null).status()
                    == 404);
  }

  @AfterEach
  void whatIsHeldSurvivesAKill() {
    StateRecovery.assertRecoverable(simulator, dataDir);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  static ArmHttp.Response registry(String name, String sku, String location, String zones) {
    return arm.call(
        "PUT",
        ACR + name + V,
        Map.of(
            "location",
            location,
            "sku",
            Map.of("name", sku),
            "properties",
            Map.of("zoneRedundancy", zones)));
  }

  static void waitSucceeded(String path) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "Succeeded"
                    .equals(
                        arm.call("GET", path + V, null)
                            .body()
                            .at("/properties/provisioningState")
                            .asText()));
  }

  record Case(String rule, String method, String path, Object body, int status, String code) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Arguments> rules() {
    return Stream.of(
            new Case(
                "replication needs Premium",
                "PUT",
                ACR + "basicone/replications/westus" + V,
                Map.of("location", "westus"),
                400,
                "RegistrySkuNotSupported"),
            new Case(
                "no replica in the home region",
                "PUT",
                ACR + "premiumok/replications/home2" + V,
                Map.of("location", "eastus"),
                400,
                "ReplicationInHomeRegion"),
            new Case(
                "no zone-redundant replica where there are no zones",
                "PUT",
                ACR + "premiumok/replications/northcentralus" + V,
                Map.of(
                    "location",
                    "northcentralus",
                    "properties",
                    Map.of("zoneRedundancy", "Enabled")),
                400,
                "ZoneRedundancyNotSupported"),
            new Case(
                "no zone-redundant registry where there are no zones",
                "PUT",
                ACR + "westnozones" + V,
                Map.of(
                    "location",
                    "westus",
                    "sku",
                    Map.of("name", "Premium"),
                    "properties",
                    Map.of("zoneRedundancy", "Enabled")),
                400,
                "ZoneRedundancyNotSupported"),
            new Case(
                "zone redundancy of a replica is immutable",
                "PATCH",
                ACR + "premiumok/replications/westus" + V,
                Map.of("properties", Map.of("zoneRedundancy", "Enabled")),
                400,
                "ZoneRedundancyCannotBeUpdated"),
            new Case(
                "zone redundancy of a registry is immutable",
                "PATCH",
                ACR + "premiumok" + V,
                Map.of("properties", Map.of("zoneRedundancy", "Disabled")),
                400,
                "ZoneRedundancyCannotBeUpdated"),
            new Case(
                "registry names are global",
                "PUT",
                SUB
                    + "/resourceGroups/other/providers/Microsoft.ContainerRegistry/registries/premiumok"
                    + V,
                Map.of("location", "eastus", "sku", Map.of("name", "Premium")),
                404,
                "ResourceGroupNotFound"),
            new Case(
                "registry names are 5-50 letters and digits",
                "PUT",
                ACR + "bad-name" + V,
                Map.of("location", "eastus", "sku", Map.of("name", "Premium")),
                400,
                "InvalidRegistryName"),
            new Case(
                "the home replication cannot be deleted",
                "DELETE",
                ACR + "premiumok/replications/eastus" + V,
                null,
                400,
                "HomeReplicationCannotBeDeleted"),
            new Case(
                "a just-deleted replica cannot be re-created",
                "PUT",
                ACR + "premiumok/replications/centralus" + V,
                Map.of("location", "centralus"),
                409,
                "ReplicationRecentlyDeleted"),
            new Case(
                "unknown api-version",
                "GET",
                ACR + "premiumok?api-version=1999-01-01",
                null,
                400,
                "InvalidApiVersionParameter"),
            new Case(
                "missing api-version",
                "GET",
                ACR + "premiumok",
                null,
                400,
                "MissingApiVersionParameter"),
            new Case(
                "missing registry",
                "GET",
                ACR + "nosuchregistry" + V,
                null,
                404,
                "ResourceNotFound"),
            new Case(
                "unknown region",
                "PUT",
                ACR + "nowhere1" + V,
                Map.of("location", "atlantis", "sku", Map.of("name", "Premium")),
                400,
                "LocationNotAvailableForResourceType"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void ruleAnswersItsStatusAndCode(Case c) {
    ArmHttp.Response response = arm.call(c.method(), c.path(), c.body());
    assertEquals(c.status(), response.status(), c.rule() + ": " + response.body());
    assertEquals(c.code(), response.code(), c.rule());
  }

  @org.junit.jupiter.api.Test
  void registryNameTakenInAnotherGroupIsRefused() {
    arm.call(
        "PUT", SUB + "/resourceGroups/rules2?api-version=2024-11-01", Map.of("location", "eastus"));
    ArmHttp.Response response =
        arm.call(
            "PUT",
            SUB
                + "/resourceGroups/rules2/providers/Microsoft.ContainerRegistry/registries/premiumok"
                + V,
            Map.of("location", "eastus", "sku", Map.of("name", "Premium")));
    assertEquals(409, response.status());
    assertEquals("AlreadyInUse", response.code());
  }

  @org.junit.jupiter.api.Test
  void noReplicaUntilTheRegistryHasSucceeded() {
    registry("stillcreating", "Premium", "eastus", "Enabled");
    ArmHttp.Response response =
        arm.call(
            "PUT", ACR + "stillcreating/replications/westus" + V, Map.of("location", "westus"));
    assertEquals(409, response.status());
    assertEquals("AnotherOperationInProgress", response.code());
  }

  @org.junit.jupiter.api.Test
  void armAnswersWithoutATokenWith401() {
    ArmHttp.Response response = arm.call("GET", ACR + "premiumok" + V, null, null);
    assertEquals(401, response.status());
    assertEquals("AuthenticationFailed", response.code());
    ArmHttp.Response forged = arm.call("GET", ACR + "premiumok" + V, null, "sim.forged.token");
    assertEquals(401, forged.status());
  }
}
