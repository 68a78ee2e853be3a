package dev.artifactstore.operator.azure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A private endpoint as Azure returned it: what the steps read of it, and the whole document, so
 * that re-applying it sends back exactly what was read (fields this code does not know included).
 * The document is kept as its JSON text, a third of its size as a tree: listings hold every
 * endpoint of a fleet, and the document is parsed only for the rare step that needs more.
 *
 * @param dns FQDN (lower case) -> private IPs, as the endpoint publishes them
 * @param connectionPending whether a connection to the registry waits for approval
 * @param tags the endpoint's Azure tags
 * @param json the whole document
 */
public record PrivateEndpoint(
    String id,
    String location,
    String provisioningState,
    Map<String, List<String>> dns,
    boolean connectionPending,
    Map<String, String> tags,
    String json) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public PrivateEndpoint {
    tags = Map.copyOf(tags);
  }

  public PrivateEndpoint(
      String id,
      String location,
      String provisioningState,
      Map<String, List<String>> dns,
      boolean connectionPending,
      JsonNode document) {
    this(
        id,
        location,
        provisioningState,
        dns,
        connectionPending,
        tagsOf(document),
        document.toString());
  }

  static PrivateEndpoint of(JsonNode doc) {
    Map<String, List<String>> dns = new LinkedHashMap<>();
    for (JsonNode config : doc.path("properties").path("customDnsConfigs")) {
      List<String> ips = new ArrayList<>();
      config.path("ipAddresses").forEach(ip -> ips.add(ip.asText()));
      dns.put(config.path("fqdn").asText().toLowerCase(Locale.ROOT), List.copyOf(ips));
    }
    boolean pending = false;
    for (String field :
        List.of("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")) {
      for (JsonNode c : doc.path("properties").path(field)) {
        pending |=
            "Pending"
                .equalsIgnoreCase(
                    c.at("/properties/privateLinkServiceConnectionState/status").asText());
      }
    }
    return new PrivateEndpoint(
        doc.path("id").asText(),
        doc.path("location").asText(),
        doc.at("/properties/provisioningState").asText("Unknown"),
        dns,
        pending,
        doc);
  }

  /** The endpoint's Azure tags, a copy to change at will. */
  @Override
  public Map<String, String> tags() {
    return new LinkedHashMap<>(tags);
  }

  private static Map<String, String> tagsOf(JsonNode document) {
    Map<String, String> tags = new LinkedHashMap<>();
    document
        .path("tags")
        .fields()
        .forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
    return tags;
  }

  /** The whole document as Azure returned it, parsed again at each call. */
  public JsonNode document() {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an endpoint's own JSON does not parse", e);
    }
  }

  /**
   * The same endpoint with {@code tags} as its tags: what a write of it as read plus a tag sends.
   */
  public PrivateEndpoint withTags(Map<String, String> tags) {
    ObjectNode copy = (ObjectNode) document();
    ObjectNode out = copy.putObject("tags");
    tags.forEach(out::put);
    return new PrivateEndpoint(id, location, provisioningState, dns, connectionPending, copy);
  }

  /** The subnet the endpoint's network interface is in. */
  public String subnetId() {
    return document().at("/properties/subnet/id").asText(null);
  }

  /**
   * Whether the endpoint has static IP configurations: ACR cannot give it a new region's member, so
   * adding a replica fails (ACR geo-replication documentation).
   */
  public boolean hasStaticIps() {
    JsonNode configurations = document().at("/properties/ipConfigurations");
    return !configurations.isMissingNode() && !configurations.isEmpty();
  }
}
