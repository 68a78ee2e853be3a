package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Registry;
import dev.artifactstore.operator.azure.Replica;
import java.time.Duration;
import java.util.Optional;

/**
 * Deleting a store with {@code deletionPolicy: Delete}: what the operator created goes, newest
 * first (DNS records, private endpoints, the replica, the registry), each deletion finished before
 * the next starts. With Retain nothing in Azure is touched.
 */
final class DeleteAzureResources {
  /** Done, or come back after {@code after} with {@code message} as the reason. */
  record Progress(boolean done, Duration after, String message) {}

  Progress run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    if (d == null || d.deletionPolicy() != DeletionPolicy.Delete) {
      return new Progress(true, Duration.ZERO, "Retained");
    }
    try {
      for (DesiredStore.Endpoint endpoint : d.endpoints()) {
        var dns = ctx.portsFor.apply(endpoint.zoneSubscription()).dns();
        for (String region : d.regions(d.geo())) {
          dns.deleteARecord(
              endpoint.zoneResourceGroup(),
              endpoint.zoneName(),
              DesiredStore.recordName(d.dataEndpoint(region)));
        }
        dns.deleteARecord(
            endpoint.zoneResourceGroup(),
            endpoint.zoneName(),
            DesiredStore.recordName(d.loginServer()));
      }
      for (DesiredStore.Endpoint endpoint : d.endpoints()) {
        var network = ctx.portsFor.apply(endpoint.subscription()).network();
        Optional<PrivateEndpoint> pe =
            network.privateEndpoint(endpoint.resourceGroup(), endpoint.name());
        if (pe.isPresent()) {
          if (!"Deleting".equals(pe.get().provisioningState())) {
            network.deletePrivateEndpoint(endpoint.resourceGroup(), endpoint.name());
          }
          return new Progress(
              false, Backoff.DEFAULT_POLL, "Deleting private endpoint " + endpoint.name() + ".");
        }
      }
      Optional<Registry> registry =
          ctx.ports.registries().registry(d.resourceGroup(), d.registryName());
      if (registry.isEmpty()) {
        return new Progress(true, Duration.ZERO, "Deleted");
      }
      if (d.geo()) {
        for (Replica replica :
            ctx.ports.registries().replications(d.resourceGroup(), d.registryName())) {
          if (d.replicaRegion().equals(replica.location())) {
            if (!"Deleting".equals(replica.provisioningState())) {
              ctx.ports
                  .registries()
                  .deleteReplication(d.resourceGroup(), d.registryName(), replica.name());
            }
            return new Progress(
                false, Backoff.DEFAULT_POLL, "Deleting the replica in " + d.replicaRegion() + ".");
          }
        }
      }
      if (!"Deleting".equals(registry.get().provisioningState())) {
        ctx.ports.registries().deleteRegistry(d.resourceGroup(), d.registryName());
      }
      return new Progress(
          false, Backoff.DEFAULT_POLL, "Deleting registry " + d.registryName() + ".");
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.NOT_FOUND && e.code().equals("ResourceGroupNotFound")) {
        return new Progress(true, Duration.ZERO, "Deleted");
      }
      Duration after = e.retryAfter() != null ? Backoff.capped(e.retryAfter()) : Backoff.MIN_RETRY;
      return new Progress(
          false, after, "Deleting Azure resources failed: " + e.describe() + " Retrying.");
    }
  }

  static boolean retains(ArtifactStore store) {
    return store.getSpec() == null || store.getSpec().getDeletionPolicy() != DeletionPolicy.Delete;
  }
}
