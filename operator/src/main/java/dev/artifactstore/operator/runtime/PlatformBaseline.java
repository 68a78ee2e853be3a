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
import java.util.ArrayList;
import java.util.List;

/**
 * What a platform team already has before it declares a store: resource groups, a hub virtual
 * network in eastus with a subnet for private endpoints, the privatelink.azurecr.io zone linked to
 * it, and, as in a landing zone, a second hub in eastus2 in a connectivity subscription of its own,
 * linked to the same zone. The demo and the tests create it in the simulator.
 */
public final class PlatformBaseline {
  public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
  public static final String ARTIFACTS_GROUP = "contoso-artifacts";
  public static final String NETWORK_GROUP = "contoso-network";
  public static final String VNET = "hub";
  public static final String SUBNET = "private-endpoints";
  public static final String ZONE = "privatelink.azurecr.io";
  public static final String CONNECTIVITY_SUBSCRIPTION = "00000000-0000-0000-0000-000000000002";
  public static final String CONNECTIVITY_GROUP = "contoso-connectivity";
  public static final String CONNECTIVITY_VNET = "connectivity-hub";
  public static final String CONNECTIVITY_REGION = "eastus2";

  private PlatformBaseline() {}

  public static String subnetId(String subnet) {
    return subnetId(SUBSCRIPTION, subnet);
  }

  /** A subnet of the hub in {@code subscription} (a hub made by {@link #createHub}). */
  public static String subnetId(String subscription, String subnet) {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + NETWORK_GROUP
        + "/providers/Microsoft.Network/virtualNetworks/"
        + VNET
        + "/subnets/"
        + subnet;
  }

  /** The endpoints' subnet of the hub in the connectivity subscription. */
  public static String connectivitySubnetId() {
    return vnetId(CONNECTIVITY_SUBSCRIPTION, CONNECTIVITY_GROUP, CONNECTIVITY_VNET)
        + "/subnets/"
        + SUBNET;
  }

  private static String vnetId(String subscription, String group, String vnet) {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + group
        + "/providers/Microsoft.Network/virtualNetworks/"
        + vnet;
  }

  public static String zoneId() {
    return zoneId(SUBSCRIPTION);
  }

  /** The privatelink.azurecr.io zone in {@code subscription} (made by {@link #createHub}). */
  public static String zoneId(String subscription) {
    return "/subscriptions/"
        + subscription
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
    PrivateDnsZoneManager dns = createHub(connection, SUBSCRIPTION, extraSubnets);
    createConnectivityHub(connection, connection.defaultCredential());
    dns.serviceClient()
        .getVirtualNetworkLinks()
        .beginCreateOrUpdate(
            NETWORK_GROUP,
            ZONE,
            CONNECTIVITY_VNET + "-link",
            new VirtualNetworkLinkInner()
                .withLocation("global")
                .withVirtualNetwork(
                    new SubResource()
                        .withId(
                            vnetId(
                                CONNECTIVITY_SUBSCRIPTION, CONNECTIVITY_GROUP, CONNECTIVITY_VNET)))
                .withRegistrationEnabled(false));
  }

  /**
   * The resource groups, the hub network in eastus with its endpoints' subnet (and {@code
   * extraSubnets}), and the privatelink.azurecr.io zone linked to it, all in {@code subscription}:
   * what a platform team has in each subscription of its own. Returns the zone's client.
   */
  public static PrivateDnsZoneManager createHub(
      AzureConnection connection, String subscription, String... extraSubnets) {
    TokenCredential credential = connection.defaultCredential();
    AzureProfile profile =
        new AzureProfile(connection.tenantFor(null), subscription, connection.environment());
    ResourceManager resources =
        ResourceManager.configure()
            .withHttpClient(connection.httpClient())
            .authenticate(credential, profile)
            .withSubscription(subscription);
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
    ArrayList<SubnetInner> subnets = new ArrayList<>();
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
                    new SubResource().withId(vnetId(subscription, NETWORK_GROUP, VNET)))
                .withRegistrationEnabled(false));
    return dns;
  }

  private static void createConnectivityHub(
      AzureConnection connection, TokenCredential credential) {
    AzureProfile profile =
        new AzureProfile(
            connection.tenantFor(null), CONNECTIVITY_SUBSCRIPTION, connection.environment());
    ResourceManager.configure()
        .withHttpClient(connection.httpClient())
        .authenticate(credential, profile)
        .withSubscription(CONNECTIVITY_SUBSCRIPTION)
        .serviceClient()
        .getResourceGroups()
        .createOrUpdate(
            CONNECTIVITY_GROUP, new ResourceGroupInner().withLocation(CONNECTIVITY_REGION));
    VirtualNetworkInner hub =
        new VirtualNetworkInner()
            .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.2.0.0/16")))
            .withSubnets(
                List.of(new SubnetInner().withName(SUBNET).withAddressPrefix("10.2.0.0/24")));
    hub.withLocation(CONNECTIVITY_REGION);
    NetworkManager.configure()
        .withHttpClient(connection.httpClient())
        .authenticate(credential, profile)
        .serviceClient()
        .getVirtualNetworks()
        .beginCreateOrUpdate(CONNECTIVITY_GROUP, CONNECTIVITY_VNET, hub);
  }
}
