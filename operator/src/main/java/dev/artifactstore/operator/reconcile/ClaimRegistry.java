package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.RegistryStatus;
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
    Ownership.Verdict verdict = Ownership.of(ctx, tags);
    Ownership.How how;
    switch (verdict) {
      case OURS -> {
        return StepResult.done();
      }
      case FOREIGN -> {
        Ownership.Mark owner = Ownership.markOf(tags).orElseThrow();
        return stop(
            ctx,
            status,
            "OwnedByAnotherStore",
            "Registry "
                + d.registryName()
                + " belongs to the ArtifactStore "
                + owner.owner()
                + " (tag "
                + Ownership.TAG
                + "); this store changes nothing of it. Use another spec.registryName"
                + (owner.namespace().equals(ctx.store.getMetadata().getNamespace())
                        && owner.name().equals(ctx.store.getMetadata().getName())
                    ? ", or annotate the store with "
                        + Ownership.TAKE_OVER_ANNOTATION
                        + "="
                        + owner.cluster()
                        + " to take it over from that cluster."
                    : "."));
      }
      case TAKE_OVER -> how = Ownership.markOf(tags).orElseThrow().how();
      default -> {
        boolean builtHere = Ownership.registryBuiltBeforeMarks(ctx, registry.id());
        if (!builtHere && !ctx.store.getSpec().isAdoptExisting()) {
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
        // A registry this store built before marks existed is its own, as Delete would have had it.
        how = builtHere ? Ownership.How.created : Ownership.How.adopted;
      }
    }
    Started started =
        ctx.ports
            .registries()
            .retag(
                d.resourceGroup(),
                d.registryName(),
                Ownership.marked(tags, Ownership.mark(ctx, how)));
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
