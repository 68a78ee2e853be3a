package dev.artifactstore.operator.regions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which region a primary pairs with for geo-replication, and which regions have availability zones.
 * Data, not code: the defaults follow the product documentation and can be overridden.
 */
public final class RegionTable {
  /** Pairs the product documents (primary -> replica). Azure's full table is larger. */
  public static final Map<String, String> DEFAULT_PAIRS =
      Map.of("eastus", "westus", "westus3", "eastus", "southcentralus", "northcentralus");

  /** Regions with availability zones (Americas and the regions the pairs reach). */
  public static final Set<String> DEFAULT_ZONE_REGIONS =
      Set.of(
          "brazilsouth",
          "canadacentral",
          "centralus",
          "eastus",
          "eastus2",
          "southcentralus",
          "westus2",
          "westus3",
          "mexicocentral",
          "northeurope",
          "westeurope",
          "uksouth");

  private final Map<String, String> pairs;
  private final Set<String> zoneRegions;

  public RegionTable(Map<String, String> pairs, Set<String> zoneRegions) {
    this.pairs = Map.copyOf(pairs);
    this.zoneRegions = Set.copyOf(zoneRegions);
  }

  public static RegionTable defaults() {
    return new RegionTable(DEFAULT_PAIRS, DEFAULT_ZONE_REGIONS);
  }

  /**
   * Loads overrides from a properties file: {@code pair.<primary>=<replica>} adds or replaces a
   * pair, {@code zones=<region>,<region>,...} replaces the zone list.
   */
  public static RegionTable load(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read region overrides " + file, e);
    }
    Map<String, String> pairs = new TreeMap<>(DEFAULT_PAIRS);
    Set<String> zones = new TreeSet<>(DEFAULT_ZONE_REGIONS);
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key).trim();
      if (key.startsWith("pair.")) {
        pairs.put(normalise(key.substring(5)), normalise(value));
      } else if (key.equals("zones")) {
        zones.clear();
        for (String region : value.split(",")) {
          if (!region.isBlank()) {
            zones.add(normalise(region));
          }
        }
      } else {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' in " + file + ": use pair.<primary>=<replica> or zones=...");
      }
    }
    return new RegionTable(pairs, zones);
  }

  /** "East US" and "eastus" both become "eastus". */
  public static String normalise(String location) {
    return location == null ? null : location.replace(" ", "").toLowerCase(Locale.ROOT);
  }

  public Optional<String> pairOf(String primary) {
    return Optional.ofNullable(pairs.get(normalise(primary)));
  }

  public boolean hasZones(String region) {
    return zoneRegions.contains(normalise(region));
  }

  public Map<String, String> pairs() {
    return pairs;
  }
}
