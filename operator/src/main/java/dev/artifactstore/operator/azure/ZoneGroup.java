package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;

/**
 * A private endpoint's DNS zone group (an endpoint has at most one, of any name).
 *
 * @param zones the group's zone configurations, in order
 * @param records per zone id (lower case): record name -> addresses the group reports it wrote
 */
public record ZoneGroup(
    String name,
    String provisioningState,
    List<Zone> zones,
    Map<String, Map<String, List<String>>> records) {

  /** One zone of the group: the configuration's name and the zone's ARM id. */
  public record Zone(String name, String zoneId) {}

  public boolean hasZone(String zoneId) {
    return zones.stream().anyMatch(z -> z.zoneId().equalsIgnoreCase(zoneId));
  }
}
