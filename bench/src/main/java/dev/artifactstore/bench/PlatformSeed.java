package dev.artifactstore.bench;

import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.cli.AzureOptions;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.LatencyProfile;
import java.time.Duration;
import java.util.List;

/**
 * The platform a store needs, with a subnet big enough for every endpoint of the run, in each of
 * the run's subscriptions.
 */
final class PlatformSeed {
  static final String SUBNET = "bench";
  static final String SUBNET_PREFIX = "10.1.64.0/18";

  private PlatformSeed() {}

  static void seed(Simulator simulator, LatencyProfile profile, Subscriptions subscriptions)
      throws InterruptedException {
    AzureConnection connection =
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(
                null,
                AzureOptions.DEFAULT_SIMULATOR_CLIENT,
                AzureOptions.DEFAULT_SIMULATOR_SECRET));
    PlatformBaseline.create(connection, SUBNET + "=" + SUBNET_PREFIX);
    for (String subscription : subscriptions.ids().subList(1, subscriptions.size())) {
      PlatformBaseline.createHub(connection, subscription, SUBNET + "=" + SUBNET_PREFIX);
    }
    // Let the baseline's operations end and ARM's buckets refill before the operator starts.
    Duration settle =
        List.of("virtualNetwork", "privateDnsZone", "virtualNetworkLink").stream()
            .map(profile::duration)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO)
            .plusSeconds(2);
    Thread.sleep(settle.toMillis());
  }
}
