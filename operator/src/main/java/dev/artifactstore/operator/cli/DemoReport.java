package dev.artifactstore.operator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.resources.ResourceManagerApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.List;

/** What the demo prints once its stores are Ready, or when they are not. */
final class DemoReport {
  private static final ObjectMapper STATUS_YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  private DemoReport() {}

  /** Azure CLI commands that show what the operator built in the simulator. */
  static void azHints(
      PrintStream out, AzureOptions azure, List<ArtifactStore> stores, boolean retrofit) {
    String e = azure.endpoint;
    if (azure.caCert != null) {
      out.println(
          "  export REQUESTS_CA_BUNDLE="
              + azure.caCert.toAbsolutePath()
              + " AZURE_CONFIG_DIR=$(mktemp -d) AZURE_CORE_COLLECT_TELEMETRY=false");
    }
    out.println(
        "  az cloud register -n ArtifactStoreSimulator --endpoint-resource-manager "
            + e
            + " --endpoint-active-directory "
            + e
            + "adfs --endpoint-active-directory-resource-id "
            + e
            + " --endpoint-active-directory-graph-resource-id "
            + e
            + "graph/ --suffix-acr-login-server-endpoint .azurecr.io");
    out.println("  az cloud set -n ArtifactStoreSimulator");
    out.println(
        "  az login --service-principal -u "
            + AzureOptions.DEFAULT_SIMULATOR_CLIENT
            + " -p "
            + AzureOptions.DEFAULT_SIMULATOR_SECRET
            + " --tenant "
            + ResourceManagerApi.TENANT_ID);
    out.println("  az acr list -o table");
    for (ArtifactStore s : stores) {
      ArtifactStoreSpec spec = s.getSpec();
      if (spec.getReplicationStrategy() == ReplicationStrategy.GeoReplication || retrofit) {
        out.println("  az acr replication list -r " + spec.getRegistryName() + " -o table");
      }
    }
    boolean endpoints = stores.stream().anyMatch(s -> !s.getSpec().getPrivateEndpoints().isEmpty());
    if (endpoints) {
      out.println(
          "  az network private-dns record-set a list -g "
              + PlatformBaseline.NETWORK_GROUP
              + " -z "
              + PlatformBaseline.ZONE
              + " -o table");
    }
  }

  /** Each store's status as YAML. */
  static void statuses(PrintStream out, KubernetesClient client, List<ArtifactStore> stores) {
    for (ArtifactStore s : stores) {
      ArtifactStore current = DemoStores.current(client, s);
      out.println("--- " + s.getMetadata().getName());
      try {
        out.print(STATUS_YAML.writeValueAsString(current.getStatus()).replaceFirst("^---\\n", ""));
      } catch (Exception e) {
        out.println("(status unreadable: " + e.getMessage() + ")");
      }
    }
  }
}
