package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.NetworkPort;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An endpoint the status records but the spec no longer names: deleted when this store created it,
 * released (its mark removed) when it adopted it, forgotten otherwise. Costs a read only while
 * there is such an endpoint.
 */
final class DroppedEndpoints {
  static final String DELETING = "DeletingDroppedEndpoint";

  private DroppedEndpoints() {}

  /** Done when no dropped endpoint is left to delete; {@code found} records one being deleted. */
  static StepResult remove(StoreContext ctx, EndpointsSeen found) {
    Set<String> named =
        ctx.desired.endpoints().stream()
            .map(e -> e.id().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (PrivateEndpointStatus recorded : ctx.previous.getPrivateEndpoints()) {
      Optional<EndpointRef> ref = EndpointRef.of(recorded.getResourceId());
      if (ref.isEmpty() || named.contains(recorded.getResourceId().toLowerCase(Locale.ROOT))) {
        continue;
      }
      NetworkPort network = ctx.portsFor.apply(ref.get().subscription()).network();
      Optional<PrivateEndpoint> pe =
          network.privateEndpoint(ref.get().resourceGroup(), ref.get().name());
      if (pe.isEmpty()) {
        continue;
      }
      PrivateEndpoint endpoint = pe.get();
      if (Ownership.created(
          ctx, endpoint.tags(), endpoint.id(), Ownership.recordedEndpoints(ctx))) {
        if (!"Deleting".equals(endpoint.provisioningState())) {
          network.deletePrivateEndpoint(ref.get().resourceGroup(), ref.get().name());
        }
        found.endpoint(
            new PrivateEndpointStatus(recorded.getName(), endpoint.id(), "Deleting", List.of()));
        return found.stop(
            Fact.isFalse(
                "EndpointDropped",
                "Deleting private endpoint " + recorded.getName() + ", dropped from the spec."),
            new StepResult.Progressing(
                DELETING,
                "Deleting private endpoint "
                    + recorded.getName()
                    + ", which this store created and its spec no longer names.",
                Backoff.DEFAULT_POLL));
      }
      if (Ownership.of(ctx, endpoint.tags()) == Ownership.Verdict.OURS) {
        // Adopted: released, never deleted.
        network.reapply(endpoint.withTags(Ownership.released(endpoint.tags())));
      }
    }
    return StepResult.done();
  }
}
