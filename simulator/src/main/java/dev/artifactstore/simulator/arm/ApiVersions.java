package dev.artifactstore.simulator.arm;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The api-versions each provider accepts: those the Java SDK versions of this project send, the
 * Azure CLI's, and those in the live recordings. ARM refuses others with
 * InvalidApiVersionParameter.
 */
public final class ApiVersions {
  private static final Map<String, Set<String>> KNOWN =
      Map.of(
          "microsoft.containerregistry",
          Set.of(
              "2025-11-01",
              "2025-04-01",
              "2023-07-01",
              "2023-01-01-preview",
              "2022-12-01",
              "2022-02-01-preview",
              "2021-09-01",
              "2021-08-01-preview",
              "2019-12-01-preview",
              "2019-05-01"),
          "microsoft.network",
          Set.of(
              "2025-03-01",
              "2024-05-01",
              "2024-03-01",
              "2023-09-01",
              "2022-07-01",
              "2022-01-01",
              "2021-05-01",
              "2020-11-01"),
          "microsoft.network/privatednszones",
          Set.of("2024-06-01", "2020-06-01", "2020-01-01", "2018-09-01"),
          "microsoft.resources",
          Set.of(
              "2025-04-01",
              "2024-11-01",
              "2024-08-01",
              "2024-03-01",
              "2022-09-01",
              "2021-04-01",
              "2020-06-01",
              "2019-10-01",
              "2019-07-01"),
          "subscriptions",
          Set.of(
              "2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01", "2019-06-01", "2016-06-01"));

  private ApiVersions() {}

  public static void check(String namespace, String apiVersion) {
    Set<String> accepted = KNOWN.get(namespace.toLowerCase(Locale.ROOT));
    if (accepted == null) {
      return;
    }
    if (apiVersion == null) {
      throw new ArmException(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!accepted.contains(apiVersion)) {
      throw new ArmException(
          400,
          "InvalidApiVersionParameter",
          "The api-version '"
              + apiVersion
              + "' is invalid. The supported versions are '"
              + String.join(",", new java.util.TreeSet<>(accepted).descendingSet())
              + "'.");
    }
  }
}
