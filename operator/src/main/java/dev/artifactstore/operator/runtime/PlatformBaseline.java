package dev.artifactstore.operator.runtime;

import com.azure.core.credential.TokenCredential;
import com.azure.core.management.SubResource;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.privatedns.fluent.models.PrivateZoneInner;
import com.azure.resourcemanager.privatedns.fluent.models.VirtualNetworkLinkInner;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import dev.artifactstore.operator.azure.AzureConnection;
import java.util.List;

/**
 * What a platform team already has before it declares a store: resource groups, a hub virtual
 * network with a subnet for private endpoints, and the privatelink.azurecr.io zone linked to it.
 * The demo and the tests create it in the simulator.
 */
public final class PlatformBaseline {
  public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
  public static final String ARTIFACTS_GROUP = "contoso-artifacts";
  public static final String NETWORK_GROUP = "contoso-network";
  public static final String VNET = "hub";
  public static final String SUBNET = "private-endpoints";
  public static final String ZONE = "privatelink.azurecr.io";

  private PlatformBaseline() {}

  public static String subnetId(String subnet) {
    return "/subscriptions/"
        + SUBSCRIPTION
        + "/resourceGroups/"
        + NETWORK_GROUP
        + "/providers/Microsoft.Network/virtualNetworks/"
        + VNET
        + "/subnets/"
        + subnet;
  }

  public static String zoneId() {
    return "/subscriptions/"
        + SUBSCRIPTION
        + "/resourceGroups/"
        + NETWORK_GROUP
        + "/providers/Microsoft.Network/privateDnsZones/"
        + ZONE;
  }

  /**
   * Creates the baseline (idempotent); {@code extraSubnets} are name=prefix pairs, e.g.
   * "tiny=10.1.9.0/29".
   */
  public static void create(AzureConnection connection, String... extraSubnets) {
    TokenCredential credential = connection.defaultCredential();
    AzureProfile profile =
        new AzureProfile(connection.tenantFor(null), SUBSCRIPTION, connection.environment());
    ResourceManager resources =
        ResourceManager.configure()
            .withHttpClient(connection.httpClient())
            .authenticate(credential, profile)
            .withSubscription(SUBSCRIPTION);
    for (String group : List.of(ARTIFACTS_GROUP, NETWORK_GROUP)) {
      resources
          .serviceClient()
          .getResourceGroups()
          .createOrUpdate(group, new ResourceGroupInner().withLocation("eastus"));
    }
    NetworkManager network =
        NetworkManager.configure()
            .withHttpClient(connection.httpClient())
            .authenticate(credential, profile);
    java.util.ArrayList<SubnetInner> subnets = new java.util.ArrayList<>();
    subnets.add(new SubnetInner().withName(SUBNET).withAddressPrefix("10.1.0.0/24"));
    for (String extra : extraSubnets) {
      String[] parts = extra.split("=");
      subnets.add(new SubnetInner().withName(parts[0]).withAddressPrefix(parts[1]));
    }
    VirtualNetworkInner vnet =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.1.0.0/16")))
            .withSubnets(subnets);
    vnet.withLocation("eastus");
    // Each PUT is accepted with its resource in place; nothing here waits for the operations to
    // end.
    network.serviceClient().getVirtualNetworks().beginCreateOrUpdate(NETWORK_GROUP, VNET, vnet);
    PrivateDnsZoneManager dns =
        PrivateDnsZoneManager.configure()
            .withHttpClient(connection.httpClient())
            .authenticate(credential, profile);
    dns.serviceClient()
        .getPrivateZones()
        .beginCreateOrUpdate(NETWORK_GROUP, ZONE, new PrivateZoneInner().withLocation("global"));
    dns.serviceClient()
        .getVirtualNetworkLinks()
        .beginCreateOrUpdate(
            NETWORK_GROUP,
            ZONE,
            VNET + "-link",
            new VirtualNetworkLinkInner()
                .withLocation("global")
                .withVirtualNetwork(
                    new SubResource()
                        .withId(
                            "/subscriptions/"
                                + SUBSCRIPTION
                                + "/resourceGroups/"
                                + NETWORK_GROUP
                                + "/providers/Microsoft.Network/virtualNetworks/"
                                + VNET))
                .withRegistrationEnabled(false));
  }
}
