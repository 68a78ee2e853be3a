package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.Connection;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What must hold before a replica is added to a registry with private endpoints, for every endpoint
 * connected to it, the spec's or anyone else's: Azure gives each endpoint one more address in its
 * own subnet and rolls the replica back, naming no subnet, when one is full; an endpoint with
 * static IP configurations makes the replica fail (ACR geo-replication documentation).
 */
final class ReplicaPreflight {
  static final String SUBNET_FULL = "SubnetFull";
  static final String STATIC_IP = "StaticIpEndpoint";

  /**
   * What was found: a reason to stop before the replica is requested, or none; and what the
   * identity could not read, so that a rollback can say where to look.
   */
  record Verdict(StepResult.Stalled stall, List<String> unchecked) {}

  private ReplicaPreflight() {}

  static Verdict check(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    List<String> unchecked = new ArrayList<>();
    for (Connection connection :
        ctx.ports.registries().connections(d.resourceGroup(), d.registryName())) {
      Optional<EndpointRef> ref = EndpointRef.of(connection.endpointId());
      if (ref.isEmpty()) {
        continue;
      }
      Optional<PrivateEndpoint> endpoint;
      try {
        endpoint =
            ctx.portsFor
                .apply(ref.get().subscription())
                .network()
                .privateEndpoint(ref.get().resourceGroup(), ref.get().name());
      } catch (AzureFailure e) {
        if (e.kind() != AzureFailure.Kind.AUTHORIZATION) {
          throw e;
        }
        unchecked.add("private endpoint " + connection.endpointId());
        continue;
      }
      if (endpoint.isEmpty()) {
        continue;
      }
      PrivateEndpoint pe = endpoint.get();
      if (pe.hasStaticIps()) {
        return new Verdict(
            new StepResult.Stalled(
                STATIC_IP,
                "Private endpoint "
                    + pe.id()
                    + " (subnet "
                    + pe.subnetId()
                    + ") has static IP configurations; Azure fails a replica in "
                    + d.replicaRegion()
                    + " because it cannot give that endpoint an address for the new region."
                    + " Recreate the endpoint with dynamic addresses (or delete it); the replica"
                    + " was not requested."),
            unchecked);
      }
      String subnet = pe.subnetId();
      Optional<Integer> free;
      try {
        free = ctx.portsFor.apply(subscriptionOf(subnet)).network().freeAddresses(subnet);
      } catch (AzureFailure e) {
        if (e.kind() != AzureFailure.Kind.AUTHORIZATION) {
          throw e;
        }
        unchecked.add("subnet " + subnet);
        continue;
      }
      if (free.isPresent() && free.get() < 1) {
        return new Verdict(
            new StepResult.Stalled(
                SUBNET_FULL,
                "Subnet "
                    + subnet
                    + " (private endpoint "
                    + pe.id()
                    + ") has no free IP address; adding the replica in "
                    + d.replicaRegion()
                    + " needs one there, or Azure rolls the replica back."
                    + " Free an address or enlarge the subnet; the replica was not requested."),
            unchecked);
      }
    }
    return new Verdict(null, unchecked);
  }

  /** Azure rolled the replica back for a full subnet it does not name. */
  static StepResult.Stalled rolledBack(StoreContext ctx, String azureMessage) {
    Verdict verdict = check(ctx);
    if (verdict.stall() != null) {
      return verdict.stall();
    }
    String where =
        verdict.unchecked().isEmpty()
            ? " Every endpoint the operator can read has room now; check the subnets again, or"
                + " endpoints made since."
            : " The operator could not read "
                + String.join(", ", verdict.unchecked())
                + ": check those subnets, or grant read access to them.";
    return new StepResult.Stalled(
        SUBNET_FULL,
        "Azure rolled back the replica in "
            + ctx.desired.replicaRegion()
            + ": a subnet holding one of the registry's private endpoints has no free address ("
            + azureMessage
            + ")."
            + where);
  }

  private static String subscriptionOf(String armId) {
    return armId.split("/")[2].toLowerCase(Locale.ROOT);
  }
}
