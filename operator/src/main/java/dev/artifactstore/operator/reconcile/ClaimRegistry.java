package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.azure.Registry;
import dev.artifactstore.operator.azure.Started;
import java.util.Map;

/**
 * Before the primary step changes an existing registry, the registry must be this store's: marked
 * by it, or now marked because the store may have it (built by this store before marks existed,
 * adopted as {@code spec.adoptExisting} allows, or taken over from another cluster as its
 * annotation asks). Anything else stops the store with no write.
 */
final class ClaimRegistry {
  static final String MARKING = "MarkingRegistry";

  private ClaimRegistry() {}

  /** Done when the registry is this store's; else why the chain stops here. */
  static StepResult claim(StoreContext ctx, Registry registry, RegistryStatus status) {
    DesiredStore d = ctx.desired;
    Map<String, String> tags = registry.tags();
    Ownership.Claim claim =
        Ownership.claim(ctx, tags, Ownership.registryBuiltBeforeMarks(ctx, registry.id()));
    if (claim instanceof Ownership.Claim.Owned) {
      return StepResult.done();
    }
    if (claim instanceof Ownership.Claim.Foreign foreign) {
      return stop(
          ctx,
          status,
          "OwnedByAnotherStore",
          "Registry "
              + d.registryName()
              + " belongs to the ArtifactStore "
              + foreign.owner().owner()
              + " (tag "
              + Ownership.TAG
              + "); this store changes nothing of it. Use another spec.registryName"
              + Ownership.takeOverHint(ctx, foreign.owner())
              + ".");
    }
    if (claim instanceof Ownership.Claim.AdoptionRequired) {
      return stop(
          ctx,
          status,
          "AdoptionRequired",
          "Registry "
              + registry.id()
              + " already exists and no ArtifactStore has marked it. Set spec.adoptExisting:"
              + " true to let this store adopt it (it is marked adopted and never deleted), or"
              + " use another spec.registryName.");
    }
    Ownership.How how = ((Ownership.Claim.MarkAs) claim).how();
    Started started =
        ctx.ports
            .registries()
            .retag(
                d.resourceGroup(),
                d.registryName(),
                Ownership.marked(tags, Ownership.mark(ctx, how)));
    if (how == Ownership.How.adopted) {
      HaltPoints.reached("adopted-marked");
    }
    ctx.started(MARKING, registry.id(), started);
    ctx.found(
        new Findings.Primary(
            Fact.isFalse("Marking", "Marking registry " + d.registryName() + " " + how + "."),
            status,
            false));
    return new StepResult.Progressing(
        MARKING,
        "Marking registry "
            + d.registryName()
            + " as "
            + how
            + " by this store (tag "
            + Ownership.TAG
            + ").",
        Backoff.poll(started.retryAfter()));
  }

  private static StepResult stop(
      StoreContext ctx, RegistryStatus status, String reason, String message) {
    ctx.found(new Findings.Primary(Fact.isFalse(reason, message), status, false));
    return new StepResult.Stalled(reason, message);
  }
}
