package dev.artifactstore.operator.api;

/**
 * Regular expressions shared by the CRD schema and the reconciler, which re-checks every spec
 * because admission may have been bypassed. They use only syntax common to RE2 (the API server),
 * ECMA-262 and java.util.regex.
 */
public final class ApiPatterns {
  public static final String GUID =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  /** Azure resource group names: 1-90 of letters, digits, -_.() and not ending with a period. */
  public static final String RESOURCE_GROUP = "^[-A-Za-z0-9_.()]{0,89}[-A-Za-z0-9_()]$";

  public static final String REGISTRY_NAME = "^[A-Za-z0-9]{5,50}$";

  /** Programmatic ("eastus") or display ("East US") region names. */
  public static final String LOCATION = "^[A-Za-z][A-Za-z0-9 ]{1,63}$";

  public static final String PRIVATE_ENDPOINT_NAME =
      "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,78}[A-Za-z0-9_])?$";

  private static final String SUBSCRIPTION_PREFIX =
      "^/subscriptions/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
          + "/resourceGroups/[-A-Za-z0-9_.()]{0,89}[-A-Za-z0-9_()]";

  public static final String SUBNET_ID =
      SUBSCRIPTION_PREFIX
          + "/providers/Microsoft\\.Network/virtualNetworks/[A-Za-z0-9][-A-Za-z0-9_.]{0,63}"
          + "/subnets/[A-Za-z0-9][-A-Za-z0-9_.]{0,79}$";

  /** Registries resolve privately only through the zone privatelink.azurecr.io. */
  public static final String PRIVATE_DNS_ZONE_ID =
      SUBSCRIPTION_PREFIX
          + "/providers/Microsoft\\.Network/privateDnsZones/privatelink\\.azurecr\\.io$";

  private ApiPatterns() {}
}
