package dev.artifactstore.simulator.arm;

import java.util.Set;

/** Azure regions the simulator knows, and which of them have availability zones. */
public final class Regions {
  private static final Set<String> WITH_ZONES =
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
          "uksouth",
          "francecentral",
          "germanywestcentral",
          "swedencentral",
          "japaneast",
          "eastasia",
          "southeastasia",
          "australiaeast",
          "koreacentral",
          "centralindia",
          "centraluseuap",
          "eastus2euap");

  private static final Set<String> WITHOUT_ZONES =
      Set.of(
          "westus",
          "northcentralus",
          "westcentralus",
          "canadaeast",
          "ukwest",
          "japanwest",
          "australiasoutheast",
          "southindia",
          "westindia",
          "francesouth",
          "germanynorth",
          "brazilsoutheast",
          "koreasouth",
          "australiacentral");

  private Regions() {}

  public static boolean exists(String region) {
    return WITH_ZONES.contains(region) || WITHOUT_ZONES.contains(region);
  }

  public static boolean hasZones(String region) {
    return WITH_ZONES.contains(region);
  }

  /** 400 LocationNotAvailableForResourceType for a region ARM does not know. */
  public static String require(String location, String resourceType) {
    String region = ArmContext.normaliseRegion(location);
    if (region == null) {
      throw ArmException.badRequest(
          "LocationRequired", "The location property is required for this definition.");
    }
    if (!exists(region)) {
      throw ArmException.badRequest(
          "LocationNotAvailableForResourceType",
          "The provided location '"
              + location
              + "' is not available for resource type '"
              + resourceType
              + "'.");
    }
    return region;
  }
}
