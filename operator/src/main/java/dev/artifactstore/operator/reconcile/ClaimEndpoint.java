package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Started;
import java.util.Map;

/**
 * Before the endpoint step writes an existing spec endpoint, the endpoint must be this store's:
 * marked by it, or now marked because the store may have it (built by this store before marks
 * existed, adopted as {@code spec.adoptExisting} allows, or taken over from another cluster). The
 * mark goes in with a write of the endpoint exactly as it was read plus the tag.
 */
final class ClaimEndpoint {
  static final String MARKING = "MarkingPrivateEndpoint";

  private ClaimEndpoint() {}

  /** Done when the endpoint is this store's; else why the chain stops here. */
  static Fact.Stop claim(StoreContext ctx, DesiredStore.Endpoint endpoint, PrivateEndpoint pe) {
    Map<String, String> tags = pe.tags();
    boolean builtHere = Ownership.builtBeforeMarks(ctx, pe.id(), Ownership.recordedEndpoints(ctx));
    Ownership.Claim claim = Ownership.claim(ctx, tags, builtHere);
    if (claim instanceof Ownership.Claim.Owned) {
      return new Fact.Stop(null, StepResult.done());
    }
    if (claim instanceof Ownership.Claim.Foreign foreign) {
      String message =
          "Private endpoint "
              + pe.id()
              + " belongs to the ArtifactStore "
              + foreign.owner().owner()
              + " (tag "
              + Ownership.TAG
              + "); this store changes nothing of it. Name another endpoint in"
              + " spec.privateEndpoints[].name"
              + Ownership.takeOverHint(ctx, foreign.owner())
              + ".";
      return new Fact.Stop(
          Fact.isFalse("OwnedByAnotherStore", message),
          new StepResult.Stalled("OwnedByAnotherStore", message));
    }
    if (claim instanceof Ownership.Claim.AdoptionRequired) {
      String message =
          "Private endpoint "
              + pe.id()
              + " already exists and no ArtifactStore has marked it. Set spec.adoptExisting:"
              + " true to let this store adopt it (it is marked adopted and never deleted), or"
              + " name another endpoint in spec.privateEndpoints[].name.";
      return new Fact.Stop(
          Fact.isFalse("AdoptionRequired", message),
          new StepResult.Stalled("AdoptionRequired", message));
    }
    Ownership.How how = ((Ownership.Claim.MarkAs) claim).how();
    Started started =
        ReapplyPrivateEndpoints.network(ctx, endpoint)
            .reapply(pe.withTags(Ownership.marked(tags, Ownership.mark(ctx, how))));
    if (how == Ownership.How.adopted) {
      HaltPoints.reached("adopted-marked");
    }
    return new Fact.Stop(
        Fact.isFalse("Marking", "Marking private endpoint " + endpoint.name() + " " + how + "."),
        new StepResult.Progressing(
            MARKING,
            "Marking private endpoint "
                + endpoint.name()
                + " as "
                + how
                + " by this store (tag "
                + Ownership.TAG
                + "), writing it as it is otherwise.",
            Backoff.poll(started.retryAfter())));
  }
}
