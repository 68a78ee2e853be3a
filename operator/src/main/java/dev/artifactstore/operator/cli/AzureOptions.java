package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.azure.AzureConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Azure is and who the operator is there. */
public final class AzureOptions {
  /** The service principal the operator presents to a simulator when none is configured. */
  public static final String DEFAULT_SIMULATOR_CLIENT = "11111111-2222-3333-4444-555555555555";

  public static final String DEFAULT_SIMULATOR_SECRET = "simulated-secret";

  @Option(
      names = "--azure-endpoint",
      defaultValue = "${env:ARTIFACTSTORE_AZURE_ENDPOINT}",
      description =
          "ARM endpoint to use instead of public Azure, e.g. the simulator's https://127.0.0.1:8443/."
              + " Env: ARTIFACTSTORE_AZURE_ENDPOINT.")
  String endpoint;

  @Option(
      names = "--azure-ca-cert",
      defaultValue = "${env:ARTIFACTSTORE_AZURE_CA_CERT}",
      description =
          "PEM file of the CA that signed --azure-endpoint's certificate. Env: ARTIFACTSTORE_AZURE_CA_CERT.")
  Path caCert;

  @Option(
      names = "--azure-client-id",
      defaultValue = "${env:AZURE_CLIENT_ID}",
      description =
          "Client id of the operator's own identity. Env: AZURE_CLIENT_ID (also read by workload identity).")
  String clientId;

  @Option(
      names = "--azure-client-secret",
      defaultValue = "${env:AZURE_CLIENT_SECRET}",
      description =
          "Client secret of that identity; prefer workload identity in a cluster. Env: AZURE_CLIENT_SECRET.")
  String clientSecret;

  @Option(
      names = "--azure-tenant-id",
      defaultValue = "${env:AZURE_TENANT_ID}",
      description = "Tenant of that identity. Env: AZURE_TENANT_ID.")
  String tenantId;

  /** Public Azure with DefaultAzureCredential, or the given endpoint. */
  AzureConnection connection() {
    if (endpoint == null || endpoint.isBlank()) {
      if (caCert != null) {
        throw new UserError("--azure-ca-cert needs --azure-endpoint.");
      }
      return AzureConnection.publicCloud();
    }
    if (!endpoint.startsWith("https://")) {
      throw new UserError("--azure-endpoint must be an https:// URL, got " + endpoint + ".");
    }
    if (caCert != null && !Files.isReadable(caCert)) {
      throw new UserError("cannot read the CA certificate " + caCert + ".");
    }
    try {
      return AzureConnection.custom(
          endpoint,
          caCert,
          new AzureConnection.DefaultIdentity(
              tenantId,
              clientId == null ? DEFAULT_SIMULATOR_CLIENT : clientId,
              clientSecret == null ? DEFAULT_SIMULATOR_SECRET : clientSecret));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
