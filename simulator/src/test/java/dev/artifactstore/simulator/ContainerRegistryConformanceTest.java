package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.management.Region;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.containerregistry.models.Registry;
import com.azure.resourcemanager.containerregistry.models.ZoneRedundancy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries and replications through the real Java SDK, long-running operations included. */
class ContainerRegistryConformanceTest {
  @TempDir static Path dataDir;
  static Simulator simulator;
  static AzureSdk sdk;
  static ContainerRegistryManager acr;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dataDir)
                .stateFile(dataDir.resolve(StateRecovery.STATE_FILE)));
    sdk = new AzureSdk(simulator);
    sdk.resources().resourceGroups().define("acr-rg").withRegion(Region.US_EAST).create();
    acr = sdk.registries();
  }

  @AfterEach
  void whatIsHeldSurvivesAKill() {
    StateRecovery.assertRecoverable(simulator, dataDir);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void premiumZoneRedundantRegistryIsCreatedThroughTheSdkPoller() {
    Registry registry =
        acr.containerRegistries()
            .define("conformance1")
            .withRegion(Region.US_EAST)
            .withExistingResourceGroup("acr-rg")
            .withPremiumSku()
            .create();

    assertEquals("conformance1.azurecr.io", registry.loginServerUrl());
    assertEquals("Premium", registry.sku().name().toString());
    assertEquals(
        "Succeeded",
        acr.serviceClient()
            .getRegistries()
            .getByResourceGroup("acr-rg", "conformance1")
            .provisioningState()
            .toString());
    assertTrue(
        simulator
            .journal()
            .entries(e -> e.method().equals("PUT") && e.path().endsWith("/registries/conformance1"))
            .stream()
            .allMatch(e -> e.status() == 201),
        "a new registry answers 201 Creating");
    assertTrue(
        simulator.journal().entries(e -> e.path().contains("/operationStatuses/")).size() >= 1,
        "the SDK polled the Azure-AsyncOperation URL");
  }

  @Test
  void replicaInThePairedRegionSucceedsAndTheHomeRegionIsListed() {
    acr.containerRegistries()
        .define("conformance2")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup("acr-rg")
        .withPremiumSku()
        .create();

    ReplicationInner replica =
        acr.serviceClient()
            .getReplications()
            .create(
                "acr-rg", "conformance2", "westus", new ReplicationInner().withLocation("westus"));

    assertEquals("Succeeded", replica.provisioningState().toString());
    assertEquals("Ready", replica.status().displayStatus());
    assertEquals(ZoneRedundancy.DISABLED, replica.zoneRedundancy());
    List<String> regions =
        acr.serviceClient().getReplications().list("acr-rg", "conformance2").stream()
            .map(ReplicationInner::location)
            .sorted()
            .toList();
    assertEquals(List.of("eastus", "westus"), regions);
  }

  @Test
  void checkNameAvailabilityKnowsTakenAndInvalidNames() {
    acr.containerRegistries()
        .define("conformance3")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup("acr-rg")
        .withBasicSku()
        .create();

    assertFalse(acr.containerRegistries().checkNameAvailability("conformance3").isAvailable());
    assertFalse(acr.containerRegistries().checkNameAvailability("bad-name").isAvailable());
    assertTrue(acr.containerRegistries().checkNameAvailability("freename123").isAvailable());
  }

  @Test
  void registriesAreListedPerGroupAndPerSubscription() {
    acr.containerRegistries()
        .define("conformance4")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup("acr-rg")
        .withStandardSku()
        .create();

    assertTrue(
        acr.containerRegistries().listByResourceGroup("acr-rg").stream()
            .anyMatch(r -> r.name().equals("conformance4")));
    assertTrue(
        acr.containerRegistries().list().stream().anyMatch(r -> r.name().equals("conformance4")));
  }

  @Test
  void skuIsUpgradedInPlace() {
    Registry registry =
        acr.containerRegistries()
            .define("conformance5")
            .withRegion(Region.US_EAST)
            .withExistingResourceGroup("acr-rg")
            .withStandardSku()
            .create();

    registry.update().withPremiumSku().apply();

    assertEquals(
        "Premium",
        acr.containerRegistries()
            .getByResourceGroup("acr-rg", "conformance5")
            .sku()
            .name()
            .toString());
  }

  @Test
  void registryAndItsReplicasAreDeleted() {
    acr.containerRegistries()
        .define("conformance6")
        .withRegion(Region.US_EAST)
        .withExistingResourceGroup("acr-rg")
        .withPremiumSku()
        .create();
    acr.serviceClient()
        .getReplications()
        .create("acr-rg", "conformance6", "westus", new ReplicationInner().withLocation("westus"));

    acr.containerRegistries().deleteByResourceGroup("acr-rg", "conformance6");

    assertTrue(
        acr.containerRegistries().listByResourceGroup("acr-rg").stream()
            .noneMatch(r -> r.name().equals("conformance6")));
    assertEquals(
        null,
        simulator.resource(
            "/subscriptions/"
                + Simulator.DEFAULT_SUBSCRIPTION
                + "/resourceGroups/acr-rg/providers/Microsoft.ContainerRegistry/registries/conformance6/replications/westus"));
  }
}
