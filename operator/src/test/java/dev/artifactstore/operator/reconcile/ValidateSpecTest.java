package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import java.time.Clock;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator re-checks what admission should have refused, naming the field. */
class ValidateSpecTest {
  private static StepResult validate(Consumer<ArtifactStore> change) {
    ArtifactStore store =
        Testbed.store("s", "validname1", "eastus", ReplicationStrategy.GeoReplication, true);
    change.accept(store);
    return new ValidateSpec(RegionTable.defaults())
        .run(new StoreContext(store, Clock.systemUTC(), "test-cluster"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "registryName, abcd",
    "registryName, has-hyphen",
    "subscriptionId, not-a-guid",
    "resourceGroup, ends-with-dot.",
    "location, '#bad'"
  })
  void invalidFieldsStallWithTheFieldNamed(String field, String value) {
    StepResult result =
        validate(
            s -> {
              switch (field) {
                case "registryName" -> s.getSpec().setRegistryName(value);
                case "subscriptionId" -> s.getSpec().setSubscriptionId(value);
                case "resourceGroup" -> s.getSpec().setResourceGroup(value);
                default -> s.getSpec().setLocation(value);
              }
            });
    StepResult.Stalled stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(stalled.message().contains("spec." + field), stalled.message());
  }

  @Test
  void duplicateEndpointNamesAreRefused() {
    StepResult result =
        validate(
            s -> s.getSpec().getPrivateEndpoints().add(s.getSpec().getPrivateEndpoints().get(0)));
    assertTrue(((StepResult.Stalled) result).message().contains("used twice"));
  }

  @Test
  void wrongZoneIsRefused() {
    StepResult result =
        validate(
            s ->
                s.getSpec()
                    .getPrivateEndpoints()
                    .get(0)
                    .setPrivateDnsZoneId(
                        s.getSpec()
                            .getPrivateEndpoints()
                            .get(0)
                            .getPrivateDnsZoneId()
                            .replace("privatelink.azurecr.io", "example.com")));
    assertTrue(
        ((StepResult.Stalled) result)
            .message()
            .contains("spec.privateEndpoints[0].privateDnsZoneId"));
  }

  @Test
  void geoOutsideThePairTableIsUnsupported() {
    StepResult result = validate(s -> s.getSpec().setLocation("centralus"));
    assertEquals("UnsupportedRegion", ((StepResult.Stalled) result).reason());
  }

  @Test
  void singleAfterGeoWasAppliedIsADowngrade() {
    ArtifactStore store =
        Testbed.store("s", "validname1", "eastus", ReplicationStrategy.SingleReplication, false);
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    status.setReplicationStrategy(ReplicationStrategy.GeoReplication);
    store.setStatus(status);
    StepResult result =
        new ValidateSpec(RegionTable.defaults())
            .run(new StoreContext(store, Clock.systemUTC(), "test-cluster"));
    assertEquals("DowngradeNotSupported", ((StepResult.Stalled) result).reason());
  }

  @Test
  void validSpecIsNormalised() {
    ArtifactStore store =
        Testbed.store("s", "validname1", "East US", ReplicationStrategy.GeoReplication, true);
    StoreContext ctx = new StoreContext(store, Clock.systemUTC(), "test-cluster");
    assertInstanceOf(StepResult.Done.class, new ValidateSpec(RegionTable.defaults()).run(ctx));
    assertEquals("eastus", ctx.desired.region());
    assertEquals("westus", ctx.desired.replicaRegion());
    assertTrue(ctx.desired.primaryZoneRedundant());
    assertEquals(false, ctx.desired.replicaZoneRedundant());
    assertEquals("privatelink.azurecr.io", ctx.desired.endpoints().get(0).zoneName());
  }

  @Test
  void anEndpointInAnotherSubscriptionMustNameItsResourceGroup() {
    String hubSubnet = PlatformBaseline.connectivitySubnetId();
    StepResult result =
        validate(
            s -> {
              s.getSpec().getPrivateEndpoints().get(0).setResourceGroup(null);
              s.getSpec().getPrivateEndpoints().get(0).setSubnetId(hubSubnet);
            });
    StepResult.Stalled stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(
        stalled.message().contains("spec.privateEndpoints[0].resourceGroup"), stalled.message());

    StoreContext ctx =
        new StoreContext(
            Testbed.store("s", "validname1", "eastus", ReplicationStrategy.GeoReplication, true),
            Clock.systemUTC(),
            "test-cluster");
    ctx.store.getSpec().getPrivateEndpoints().get(0).setSubnetId(hubSubnet);
    ctx.store.getSpec().getPrivateEndpoints().get(0).setResourceGroup("hub-endpoints");
    assertInstanceOf(StepResult.Done.class, new ValidateSpec(RegionTable.defaults()).run(ctx));
    assertEquals(
        "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/hub-endpoints"
            + "/providers/Microsoft.Network/privateEndpoints/"
            + ctx.desired.endpoints().get(0).name(),
        ctx.desired.endpoints().get(0).id());
  }
}
