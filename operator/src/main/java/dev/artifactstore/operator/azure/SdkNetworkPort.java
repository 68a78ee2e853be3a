package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.models.PrivateDnsZoneGroupInner;
import com.azure.resourcemanager.network.fluent.models.PrivateEndpointInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.models.PrivateDnsZoneConfig;
import com.azure.resourcemanager.network.models.PrivateLinkServiceConnection;
import com.azure.resourcemanager.network.models.RecordSet;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceId;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The network port over the Azure SDK. Endpoints are read and written as raw JSON through the SDK's
 * pipeline: a PUT replaces the whole endpoint, so a body built from a model would drop what the
 * model does not know.
 */
final class SdkNetworkPort implements NetworkPort {
  /** Azure keeps five addresses of every subnet. */
  private static final int RESERVED_PER_SUBNET = 5;

  /** What the SDK's private endpoint client sends; endpoints are read and written raw with it. */
  static final String API_VERSION = "2025-03-01";

  /** Azure's limit on a network interface name. */
  private static final int MAX_NIC_NAME = 80;

  private final NetworkManager manager;

  /** A virtual network's region never changes: each network is read once. */
  private final Map<String, String> regions = new ConcurrentHashMap<>();

  SdkNetworkPort(NetworkManager manager) {
    this.manager = manager;
  }

  /** Free private addresses in the subnet; empty when the subnet does not exist. */
  @Override
  public Optional<Integer> freeAddresses(String subnetId) {
    ResourceId id = ResourceId.fromString(subnetId);
    return optional(
            () ->
                manager
                    .serviceClient()
                    .getSubnets()
                    .getWithResponse(
                        id.resourceGroupName(), id.parent().name(), id.name(), null, Context.NONE)
                    .getValue())
        .map(SdkNetworkPort::free);
  }

  static int free(SubnetInner subnet) {
    String prefix = subnet.addressPrefix();
    if (prefix == null && subnet.addressPrefixes() != null && !subnet.addressPrefixes().isEmpty()) {
      prefix = subnet.addressPrefixes().get(0);
    }
    int bits = Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
    int size = 1 << (32 - bits);
    int used = subnet.ipConfigurations() == null ? 0 : subnet.ipConfigurations().size();
    return Math.max(0, size - RESERVED_PER_SUBNET - used);
  }

  /**
   * The region of a virtual network; empty when it does not exist. One read per network: stores
   * asking at the same time wait for the first one's answer (a single flight per network).
   */
  @Override
  public Optional<String> regionOf(String virtualNetworkId) {
    ResourceId id = ResourceId.fromString(virtualNetworkId);
    return Optional.ofNullable(
        regions.computeIfAbsent(
            virtualNetworkId.toLowerCase(Locale.ROOT),
            key ->
                optional(
                        () ->
                            manager
                                .serviceClient()
                                .getVirtualNetworks()
                                .getByResourceGroupWithResponse(
                                    id.resourceGroupName(), id.name(), null, Context.NONE)
                                .getValue())
                    .map(vnet -> vnet.location().replace(" ", "").toLowerCase(Locale.ROOT))
                    .orElse(null)));
  }

  /** The endpoint as Azure has it, read whole. */
  @Override
  public Optional<PrivateEndpoint> privateEndpoint(String resourceGroup, String name) {
    HttpResponse response = send(HttpMethod.GET, endpointPath(resourceGroup, name), null);
    String body = response.getBodyAsString().block();
    JsonNode json = Lro.parse(body);
    if (response.getStatusCode() == 404
        && !"ResourceGroupNotFound".equals(json.at("/error/code").asText())) {
      return Optional.empty();
    }
    if (response.getStatusCode() >= 400) {
      throw Lro.failure(response.getStatusCode(), json, retryAfter(response));
    }
    return Optional.of(PrivateEndpoint.of(json));
  }

  @Override
  public Page<PrivateEndpoint> privateEndpointsPage(String resourceGroup, String continuation) {
    Page<JsonNode> page =
        ArmPages.get(
            manager.serviceClient().getHttpPipeline(),
            manager.serviceClient().getEndpoint(),
            endpointsPath(resourceGroup),
            API_VERSION,
            continuation);
    return new Page<>(page.items().stream().map(PrivateEndpoint::of).toList(), page.next());
  }

  /**
   * Creates an endpoint in {@code region} (its network's) with a network interface named after it,
   * as the portal names it.
   */
  @Override
  public Started createPrivateEndpoint(
      String resourceGroup,
      String name,
      String region,
      String subnetId,
      String registryId,
      Map<String, String> tags) {
    String nic = name.length() + 4 <= MAX_NIC_NAME ? name + "-nic" : name.substring(0, 76) + "-nic";
    PrivateEndpointInner endpoint =
        new PrivateEndpointInner()
            .withSubnet(new SubnetInner().withId(subnetId))
            .withCustomNetworkInterfaceName(nic)
            .withPrivateLinkServiceConnections(
                List.of(
                    new PrivateLinkServiceConnection()
                        .withName(name)
                        .withPrivateLinkServiceId(registryId)
                        .withGroupIds(List.of("registry"))));
    endpoint.withLocation(region).withTags(tags);
    return HaltPoints.after(
        "endpoint-create",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getPrivateEndpoints()
                    .createOrUpdateWithResponseAsync(resourceGroup, name, endpoint)));
  }

  /**
   * Writes the endpoint again with the very document it was read with: Azure then recomputes its
   * DNS configuration from the registry's regions, and nothing else changes. A PUT replaces the
   * whole endpoint, so a body built from a model would drop what the model does not know.
   */
  @Override
  public Started reapply(PrivateEndpoint endpoint) {
    HttpResponse response = send(HttpMethod.PUT, endpoint.id(), endpoint.document().toString());
    String body = response.getBodyAsString().block();
    if (response.getStatusCode() >= 400) {
      throw Lro.failure(response.getStatusCode(), Lro.parse(body), retryAfter(response));
    }
    return HaltPoints.after("endpoint-reapply", Lro.started(response.getHeaders()));
  }

  @Override
  public Started deletePrivateEndpoint(String resourceGroup, String name) {
    return HaltPoints.after(
        "endpoint-delete",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getPrivateEndpoints()
                    .deleteWithResponseAsync(resourceGroup, name)));
  }

  /** The endpoint's DNS zone group, whatever its name; empty when it has none. */
  @Override
  public Optional<ZoneGroup> zoneGroup(String resourceGroup, String endpoint) {
    try {
      for (PrivateDnsZoneGroupInner group :
          manager.serviceClient().getPrivateDnsZoneGroups().list(endpoint, resourceGroup)) {
        return Optional.of(zoneGroupOf(group));
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  /** Writes the endpoint's DNS zone group with these zones; Azure then writes their records. */
  @Override
  public Started putZoneGroup(
      String resourceGroup, String endpoint, String group, List<ZoneGroup.Zone> zones) {
    List<PrivateDnsZoneConfig> configs = new ArrayList<>();
    zones.forEach(
        z ->
            configs.add(
                new PrivateDnsZoneConfig().withName(z.name()).withPrivateDnsZoneId(z.zoneId())));
    PrivateDnsZoneGroupInner inner =
        new PrivateDnsZoneGroupInner().withPrivateDnsZoneConfigs(configs);
    return HaltPoints.after(
        "zone-group-put",
        Lro.start(
            () ->
                manager
                    .serviceClient()
                    .getPrivateDnsZoneGroups()
                    .createOrUpdateWithResponseAsync(resourceGroup, endpoint, group, inner)));
  }

  @Override
  public OperationState poll(String url) {
    return Lro.poll(
        manager.serviceClient().getHttpPipeline(), manager.serviceClient().getEndpoint(), url);
  }

  private static ZoneGroup zoneGroupOf(PrivateDnsZoneGroupInner group) {
    List<ZoneGroup.Zone> zones = new ArrayList<>();
    Map<String, Map<String, List<String>>> records = new LinkedHashMap<>();
    if (group.privateDnsZoneConfigs() != null) {
      for (PrivateDnsZoneConfig config : group.privateDnsZoneConfigs()) {
        if (config.privateDnsZoneId() == null) {
          continue;
        }
        zones.add(new ZoneGroup.Zone(config.name(), config.privateDnsZoneId()));
        Map<String, List<String>> reported = new LinkedHashMap<>();
        if (config.recordSets() != null) {
          for (RecordSet set : config.recordSets()) {
            if ("A".equalsIgnoreCase(set.recordType()) && set.recordSetName() != null) {
              reported.put(
                  set.recordSetName().toLowerCase(Locale.ROOT),
                  set.ipAddresses() == null
                      ? List.of()
                      : set.ipAddresses().stream().sorted().toList());
            }
          }
        }
        records.put(config.privateDnsZoneId().toLowerCase(Locale.ROOT), reported);
      }
    }
    return new ZoneGroup(
        group.name(),
        group.provisioningState() == null ? "Unknown" : group.provisioningState().toString(),
        List.copyOf(zones),
        records);
  }

  private String endpointPath(String resourceGroup, String name) {
    return endpointsPath(resourceGroup) + "/" + name;
  }

  private String endpointsPath(String resourceGroup) {
    return "/subscriptions/"
        + manager.serviceClient().getSubscriptionId()
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.Network/privateEndpoints";
  }

  private HttpResponse send(HttpMethod method, String path, String body) {
    String base = manager.serviceClient().getEndpoint();
    return sendTo(
        method,
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + path
            + "?api-version="
            + API_VERSION,
        body);
  }

  private HttpResponse sendTo(HttpMethod method, String url, String body) {
    HttpRequest request = new HttpRequest(method, url);
    if (body != null) {
      request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
      request.setBody(body.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return manager.serviceClient().getHttpPipeline().send(request).block();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  private static Duration retryAfter(HttpResponse response) {
    return Lro.retryAfter(response.getHeaderValue("Retry-After"));
  }

  static <T> Optional<T> optional(Supplier<T> get) {
    try {
      return Optional.ofNullable(get.get());
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() == AzureFailure.Kind.NOT_FOUND
          && !failure.code().equals("ResourceGroupNotFound")) {
        return Optional.empty();
      }
      throw failure;
    }
  }
}
