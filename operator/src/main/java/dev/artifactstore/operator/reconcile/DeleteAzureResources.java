package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.DnsPort;
import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.RecordSet;
import dev.artifactstore.operator.azure.Registry;
import dev.artifactstore.operator.azure.Replica;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deleting a store with {@code deletionPolicy: Delete}: what the operator created goes, newest
 * first (DNS records, private endpoints, the replica, the registry), each deletion finished before
 * the next starts. With Retain nothing in Azure is touched.
 */
final class DeleteAzureResources {
  /**
   * Done, or come back after {@code after}; {@code blocked} names why deletion cannot go on (null
   * while it does), {@code message} says what happens.
   */
  record Progress(boolean done, Duration after, String blocked, String message) {
    Progress(boolean done, Duration after, String message) {
      this(done, after, null, message);
    }
  }

  Progress run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    if (d == null || d.deletionPolicy() != DeletionPolicy.Delete) {
      return new Progress(true, Duration.ZERO, "Retained");
    }
    try {
      deleteRecords(ctx);
      for (EndpointRef endpoint : endpoints(ctx)) {
        var network = ctx.portsFor.apply(endpoint.subscription()).network();
        Optional<PrivateEndpoint> pe =
            network.privateEndpoint(endpoint.resourceGroup(), endpoint.name());
        if (pe.isPresent()
            && Ownership.created(
                ctx, pe.get().tags(), pe.get().id(), Ownership.recordedEndpoints(ctx))) {
          if (!"Deleting".equals(pe.get().provisioningState())) {
            network.deletePrivateEndpoint(endpoint.resourceGroup(), endpoint.name());
            HaltPoints.reached("between-deletes");
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
          if (d.replicaRegion().equals(replica.location())
              && Ownership.created(
                  ctx, replica.tags(), replica.id(), Ownership.recordedReplicas(ctx))) {
            if (!"Deleting".equals(replica.provisioningState())) {
              ctx.ports
                  .registries()
                  .deleteReplication(d.resourceGroup(), d.registryName(), replica.name());
              HaltPoints.reached("between-deletes");
            }
            return new Progress(
                false, Backoff.DEFAULT_POLL, "Deleting the replica in " + d.replicaRegion() + ".");
          }
        }
      }
      Registry found = registry.get();
      boolean created =
          Ownership.of(ctx, found.tags()) == Ownership.Verdict.UNMARKED
              ? Ownership.registryBuiltBeforeMarks(ctx, found.id())
              : Ownership.created(ctx, found.tags(), found.id(), Set.of());
      if (!created) {
        if (Ownership.of(ctx, found.tags()) == Ownership.Verdict.OURS) {
          // Adopted: released, never deleted.
          ctx.ports
              .registries()
              .retag(d.resourceGroup(), d.registryName(), Ownership.released(found.tags()));
        }
        return new Progress(true, Duration.ZERO, "Deleted");
      }
      if (!"Deleting".equals(found.provisioningState())) {
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
          false,
          after,
          e.kind() == AzureFailure.Kind.AUTHORIZATION ? "AuthorizationFailed" : "DeleteFailed",
          "Deleting Azure resources failed: " + e.describe() + " Retrying; " + ABANDON_HINT);
    }
  }

  /**
   * Each zone's records of the registry's names, those the status recorded and those the spec
   * implies: deleted when this store created them (read first, deleted only unchanged since, by
   * etag), released when it adopted them, left alone when another store's.
   */
  private static void deleteRecords(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    Set<String> recorded = new TreeSet<>();
    ctx.previous.getPrivateEndpoints().stream()
        .flatMap(e -> e.getDnsRecords().stream())
        .map(r -> DesiredStore.recordName(r.getFqdn()))
        .forEach(recorded::add);
    Set<String> names = new TreeSet<>(recorded);
    names.add(DesiredStore.recordName(d.loginServer()));
    d.regions(d.geo()).forEach(r -> names.add(DesiredStore.recordName(d.dataEndpoint(r))));
    Set<String> zones = new TreeSet<>();
    for (DesiredStore.Endpoint endpoint : d.endpoints()) {
      if (!zones.add(endpoint.zoneId().toLowerCase(Locale.ROOT))) {
        continue;
      }
      DnsPort dns = ctx.portsFor.apply(endpoint.zoneSubscription()).dns();
      for (String name : names) {
        String group = endpoint.zoneResourceGroup();
        String zone = endpoint.zoneName();
        Optional<RecordSet> found = dns.aRecord(group, zone, name);
        if (found.isEmpty()) {
          continue;
        }
        RecordSet record = found.get();
        if (Ownership.created(ctx, record.metadata(), name, recorded)) {
          dns.deleteARecord(group, zone, name, record.etag());
          HaltPoints.reached("between-deletes");
        } else if (Ownership.of(ctx, record.metadata()) == Ownership.Verdict.OURS) {
          // Adopted: released, never deleted.
          dns.putARecord(
              group,
              zone,
              name,
              record.addresses(),
              record.ttl(),
              Ownership.released(record.metadata()),
              record.etag());
        }
      }
    }
  }

  /**
   * The endpoints the status recorded as built, and those the spec names: a spec edited since the
   * endpoints were built does not hide them.
   */
  private static Set<EndpointRef> endpoints(StoreContext ctx) {
    Set<EndpointRef> refs = new LinkedHashSet<>();
    ctx.previous.getPrivateEndpoints().stream()
        .map(e -> EndpointRef.of(e.getResourceId()))
        .flatMap(Optional::stream)
        .forEach(refs::add);
    ctx.desired.endpoints().stream().map(EndpointRef::of).forEach(refs::add);
    return refs;
  }

  /** The annotation that lets a store go at once, leaving its Azure resources as they are. */
  static final String ABANDON_ANNOTATION = "artifactstore.dev/abandon";

  static final String ABANDON_HINT =
      "to let the store go and leave its Azure resources in place, annotate it with "
          + ABANDON_ANNOTATION
          + "=true.";

  static boolean abandoned(ArtifactStore store) {
    Map<String, String> annotations = store.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(ABANDON_ANNOTATION));
  }

  static boolean retains(ArtifactStore store) {
    return store.getSpec() == null || store.getSpec().getDeletionPolicy() != DeletionPolicy.Delete;
  }
}
