package dev.artifactstore.operator.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A private endpoint as Azure returned it: what the steps read of it, and the whole document, so
 * that re-applying it sends back exactly what was read (fields this code does not know included).
 *
 * @param dns FQDN (lower case) -> private IPs, as the endpoint publishes them
 * @param connectionPending whether a connection to the registry waits for approval
 */
public record PrivateEndpoint(
    String id,
    String location,
    String provisioningState,
    Map<String, List<String>> dns,
    boolean connectionPending,
    JsonNode document) {

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

  /** The endpoint's Azure tags. */
  public Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    document
        .path("tags")
        .fields()
        .forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
    return tags;
  }

  /**
   * The same endpoint with {@code tags} as its tags: what a write of it as read plus a tag sends.
   */
  public PrivateEndpoint withTags(Map<String, String> tags) {
    ObjectNode copy = ((ObjectNode) document).deepCopy();
    ObjectNode out = copy.putObject("tags");
    tags.forEach(out::put);
    return new PrivateEndpoint(id, location, provisioningState, dns, connectionPending, copy);
  }

  /** The subnet the endpoint's network interface is in. */
  public String subnetId() {
    return document.at("/properties/subnet/id").asText(null);
  }

  /**
   * Whether the endpoint has static IP configurations: ACR cannot give it a new region's member, so
   * adding a replica fails (ACR geo-replication documentation).
   */
  public boolean hasStaticIps() {
    return !document.at("/properties/ipConfigurations").isMissingNode()
        && !document.at("/properties/ipConfigurations").isEmpty();
  }
}
