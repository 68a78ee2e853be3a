package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.metrics.ArmMetricsPolicy;
import dev.artifactstore.operator.metrics.OperatorMetrics;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.reconcile.ReconcileSettings;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How an operator instance runs: its reconcile timing, its share of ARM's budget and who it
 * watches.
 *
 * @param clusterId this cluster's name in the marks on Azure resources
 * @param lease the leader election lease (name, namespace), or null when every instance reconciles
 * @param labelSelector only stores with these labels, or null for all
 * @param operatorIdentityNamespaces namespaces whose stores may use the operator's own identity
 *     ({@code *}: all)
 * @param requireAllowedScopes whether a namespace without allowed scopes may touch nothing
 */
record OperatorSettings(
    String clusterId,
    ReconcileSettings reconcile,
    int concurrency,
    double readsPerSecond,
    double writesPerSecond,
    LeaderElectionConfiguration lease,
    String labelSelector,
    Set<String> operatorIdentityNamespaces,
    boolean requireAllowedScopes) {

  /** The demo's: the defaults of {@code run}, with Stalled stores retried quickly. */
  static OperatorSettings demo() {
    return new OperatorSettings(
        "demo",
        new ReconcileSettings(
            Duration.ofMinutes(10),
            Duration.ofSeconds(30),
            ReconcileSettings.RESYNC_JITTER,
            ReconcileSettings.REPLICA_CREATING_TIMEOUT),
        10,
        25,
        10,
        null,
        null,
        Set.of("*"),
        false);
  }

  OperatorRuntime start(
      KubernetesClient client,
      AzureConnection connection,
      OperatorMetrics metrics,
      ReconcileObserver observer,
      Clock clock,
      RegionTable regions,
      Set<String> namespaces) {
    ArmBudget budget =
        new ArmBudget(
            clock,
            new ArmBudget.Limit((int) Math.round(readsPerSecond * 10), readsPerSecond),
            new ArmBudget.Limit((int) Math.round(writesPerSecond * 20), writesPerSecond),
            new ArmBudget.Limit((int) Math.round(writesPerSecond * 20), writesPerSecond));
    AzureClients clients =
        new AzureClients(connection, List.of(new ArmMetricsPolicy(metrics.registry()), budget));
    return OperatorRuntime.start(
        new OperatorRuntime.Config(
            clusterId,
            client,
            clients,
            regions,
            reconcile,
            namespaces,
            concurrency,
            clock,
            observer,
            MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()),
            lease,
            labelSelector,
            operatorIdentityNamespaces,
            requireAllowedScopes));
  }
}
