package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.PrivateEndpointIpConfiguration;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.faults.Faults;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Endpoints of other teams on the registry: a replica needs an address for each in its own subnet,
 * so a static one or a full subnet stops the store before the replica is requested.
 */
class ForeignEndpointsIT extends ReplicaFailureModes {
  @Test
  void anotherTeamsStaticIpEndpointStallsBeforeAnyReplicaIsRequested() {
    readySingle("static", "itstaticip", false);
    PrivateEndpointInner theirs =
        foreignEndpoint(PlatformBaseline.subnetId(PlatformBaseline.SUBNET), "itstaticip")
            .withIpConfigurations(
                List.of(
                    new PrivateEndpointIpConfiguration()
                        .withName("login")
                        .withGroupId("registry")
                        .withMemberName("registry")
                        .withPrivateIpAddress("10.1.0.250")));
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "their-static-pe", theirs);
    long before = bed.simulator.journal().sequence();

    toGeo("static");
    ArtifactStore stalled =
        bed.awaitCondition(
            "static",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.STATIC_IP,
            Duration.ofSeconds(60));
    assertTrue(message(stalled, Conditions.STALLED).contains("their-static-pe"));
    assertEquals(List.of(), operatorWrites(before), "no replica requested");

    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "their-static-pe");
    bed.awaitReady("static", Duration.ofSeconds(90));
  }

  @Test
  void aFullSubnetUnderAnotherTeamsEndpointInAnotherNetworkStallsNamingIt() {
    readySingle("fullspoke", "itfullspoke", false);
    VirtualNetworkInner spoke =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.8.0.0/16")))
            .withSubnets(
                List.of(new SubnetInner().withName("tiny").withAddressPrefix("10.8.1.0/28")));
    spoke.withLocation("eastus");
    network()
        .serviceClient()
        .getVirtualNetworks()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "spoke", spoke);
    String tiny =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/virtualNetworks/spoke/subnets/tiny";
    // A /28 has eleven usable addresses: their endpoint to the store's registry takes two, three
    // endpoints to a geo-replicated registry three each.
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(
            PlatformBaseline.NETWORK_GROUP, "their-pe", foreignEndpoint(tiny, "itfullspoke"));
    bed.create(
        Testbed.store("filler", "itfiller", "eastus", ReplicationStrategy.GeoReplication, false));
    bed.awaitReady("filler", Duration.ofSeconds(60));
    for (int i = 1; i <= 3; i++) {
      network()
          .serviceClient()
          .getPrivateEndpoints()
          .createOrUpdate(
              PlatformBaseline.NETWORK_GROUP, "filler-pe-" + i, foreignEndpoint(tiny, "itfiller"));
    }
    long before = bed.simulator.journal().sequence();

    toGeo("fullspoke");
    ArtifactStore stalled =
        bed.awaitCondition(
            "fullspoke",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.SUBNET_FULL,
            Duration.ofSeconds(60));
    String text = message(stalled, Conditions.STALLED);
    assertTrue(text.contains("spoke/subnets/tiny") && text.contains("their-pe"), text);
    assertFalse(
        operatorWrites(before).stream().anyMatch(e -> e.path().contains("/replications/")),
        "no replica requested");

    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "filler-pe-1");
    bed.awaitReady("fullspoke", Duration.ofSeconds(90));
  }

  @Test
  void aRollbackForASubnetTheOperatorCouldNotCheckNamesWhatItCouldNotRead() {
    readySingle("unread", "itunread", false);
    VirtualNetworkInner other =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.9.0.0/16")))
            .withSubnets(
                List.of(new SubnetInner().withName("small").withAddressPrefix("10.9.1.0/28")));
    other.withLocation("eastus");
    network()
        .serviceClient()
        .getVirtualNetworks()
        .createOrUpdate(PlatformBaseline.NETWORK_GROUP, "elsewhere", other);
    String small =
        "/subscriptions/"
            + PlatformBaseline.SUBSCRIPTION
            + "/resourceGroups/"
            + PlatformBaseline.NETWORK_GROUP
            + "/providers/Microsoft.Network/virtualNetworks/elsewhere/subnets/small";
    // A /28 has eleven usable addresses: their endpoint takes two, three endpoints to a
    // geo-replicated registry three each.
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .createOrUpdate(
            PlatformBaseline.NETWORK_GROUP, "hidden-pe", foreignEndpoint(small, "itunread"));
    bed.create(
        Testbed.store(
            "unreadfill", "itunreadfill", "eastus", ReplicationStrategy.GeoReplication, false));
    bed.awaitReady("unreadfill", Duration.ofSeconds(60));
    for (int i = 1; i <= 3; i++) {
      network()
          .serviceClient()
          .getPrivateEndpoints()
          .createOrUpdate(
              PlatformBaseline.NETWORK_GROUP,
              "unreadfill-pe-" + i,
              foreignEndpoint(small, "itunreadfill"));
    }
    bed.simulator.faults().withhold(OPERATOR, Faults.ENDPOINT_READ, true);

    toGeo("unread");
    ArtifactStore stalled =
        bed.awaitCondition(
            "unread",
            Conditions.STALLED,
            "True",
            ReplicaPreflight.SUBNET_FULL,
            Duration.ofSeconds(60));
    String text = message(stalled, Conditions.STALLED);
    assertTrue(text.contains("rolled back") && text.contains("hidden-pe"), text);

    bed.simulator.faults().withhold(OPERATOR, Faults.ENDPOINT_READ, false);
    network()
        .serviceClient()
        .getPrivateEndpoints()
        .delete(PlatformBaseline.NETWORK_GROUP, "unreadfill-pe-1");
    bed.awaitReady("unread", Duration.ofSeconds(90));
  }
}
