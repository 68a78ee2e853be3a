package dev.artifactstore.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.operator.azure.NetworkPort;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Page;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Networks, subnets, private endpoints and their zone groups of one subscription. */
final class FakeNetwork implements NetworkPort {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeAzure azure;

  /** Endpoint name -> the endpoint. */
  final Map<String, PrivateEndpoint> endpoints = new LinkedHashMap<>();

  /** Endpoint name -> its DNS zone group. */
  final Map<String, ZoneGroup> zoneGroups = new LinkedHashMap<>();

  /** Subnet id -> free addresses; a subnet not here does not exist. */
  final Map<String, Integer> freeAddresses = new LinkedHashMap<>();

  /** Virtual network id -> its region; a network not here does not exist. */
  final Map<String, String> networkRegions = new LinkedHashMap<>();

  /** The endpoints written back as read, in order. */
  final List<PrivateEndpoint> reapplied = new ArrayList<>();

  FakeNetwork(FakeAzure azure) {
    this.azure = azure;
  }

  static String endpointId(String resourceGroup, String name) {
    return "/subscriptions/"
        + FakeAzure.SUBSCRIPTION
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.Network/privateEndpoints/"
        + name;
  }

  /**
   * An endpoint as Azure returns it, with a tag the operator knows nothing of: re-applying it must
   * send that back too.
   *
   * @param dns FQDN -> private IPs the endpoint publishes
   */
  static PrivateEndpoint endpoint(
      String name,
      String state,
      Map<String, List<String>> dns,
      boolean pending,
      String subnetId,
      boolean staticIps) {
    String id = endpointId(StepFixtures.NETWORK_GROUP, name);
    ObjectNode doc = JSON.createObjectNode().put("id", id).put("location", "eastus");
    doc.putObject("tags")
        .put("owner", "platform-team")
        .put(Ownership.TAG, FakeRegistries.MARKED.get(Ownership.TAG));
    ObjectNode properties = doc.putObject("properties").put("provisioningState", state);
    properties.putObject("subnet").put("id", subnetId);
    ArrayNode configs = properties.putArray("customDnsConfigs");
    dns.forEach(
        (fqdn, ips) -> {
          ObjectNode config = configs.addObject().put("fqdn", fqdn);
          ips.forEach(config.putArray("ipAddresses")::add);
        });
    properties
        .putArray("privateLinkServiceConnections")
        .addObject()
        .putObject("properties")
        .putObject("privateLinkServiceConnectionState")
        .put("status", pending ? "Pending" : "Approved");
    if (staticIps) {
      properties
          .putArray("ipConfigurations")
          .addObject()
          .put("name", "static")
          .putObject("properties")
          .put("privateIPAddress", "10.0.0.9");
    }
    return new PrivateEndpoint(id, "eastus", state, dns, pending, doc);
  }

  void add(PrivateEndpoint endpoint) {
    endpoints.put(endpoint.id().substring(endpoint.id().lastIndexOf('/') + 1), endpoint);
  }

  @Override
  public Optional<Integer> freeAddresses(String subnetId) {
    azure.call("GET subnet " + last(subnetId));
    return Optional.ofNullable(freeAddresses.get(subnetId));
  }

  @Override
  public Optional<String> regionOf(String virtualNetworkId) {
    azure.call("GET vnet " + last(virtualNetworkId));
    return Optional.ofNullable(networkRegions.get(virtualNetworkId));
  }

  @Override
  public Optional<PrivateEndpoint> privateEndpoint(String resourceGroup, String name) {
    azure.call("GET endpoint " + name);
    return Optional.ofNullable(endpoints.get(name));
  }

  @Override
  public Page<PrivateEndpoint> privateEndpointsPage(String resourceGroup, String continuation) {
    azure.call("LIST endpoints " + resourceGroup);
    return new Page<>(List.copyOf(endpoints.values()), null);
  }

  @Override
  public Started createPrivateEndpoint(
      String resourceGroup,
      String name,
      String region,
      String subnetId,
      String registryId,
      Map<String, String> tags) {
    String call = "PUT endpoint " + name;
    azure.call(call);
    PrivateEndpoint created = endpoint(name, "Updating", Map.of(), false, subnetId, false);
    endpoints.put(
        name,
        new PrivateEndpoint(created.id(), region, "Updating", Map.of(), false, created.document()));
    return azure.started(call);
  }

  @Override
  public Started reapply(PrivateEndpoint endpoint) {
    String call = "PUT endpoint " + last(endpoint.id()) + " as read";
    azure.call(call);
    reapplied.add(endpoint);
    return azure.started(call);
  }

  @Override
  public Started deletePrivateEndpoint(String resourceGroup, String name) {
    String call = "DELETE endpoint " + name;
    azure.call(call);
    endpoints.remove(name);
    return azure.started(call);
  }

  @Override
  public Optional<ZoneGroup> zoneGroup(String resourceGroup, String endpoint) {
    azure.call("GET zonegroup " + endpoint);
    return Optional.ofNullable(zoneGroups.get(endpoint));
  }

  @Override
  public Started putZoneGroup(
      String resourceGroup, String endpoint, String group, List<ZoneGroup.Zone> zones) {
    String call = "PUT zonegroup " + endpoint + "/" + group;
    azure.call(call);
    zoneGroups.put(endpoint, new ZoneGroup(group, "Updating", List.copyOf(zones), Map.of()));
    return azure.started(call);
  }

  @Override
  public OperationState poll(String url) {
    return azure.poll(url);
  }

  private static String last(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
