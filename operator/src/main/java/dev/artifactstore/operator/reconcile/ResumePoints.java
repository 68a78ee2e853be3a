package dev.artifactstore.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a run the ARM budget cut short picks up on its return: the steps it had just seen done, for
 * its generation, and since when. A resync held back at its second or third read does not read the
 * first again when it comes back, so stores waiting for the read budget do not add to what they
 * wait for. Kept in memory and trusted for two minutes from the first read.
 */
final class ResumePoints {
  private static final Duration TRUSTED_FOR = Duration.ofMinutes(2);

  /** The steps a run saw done, and when the first of the runs picking up from each other began. */
  record Resume(long generation, Set<Step> done, Instant since) {}

  private final Map<ResourceID, Resume> resumes = new ConcurrentHashMap<>();

  /** The store's resume point, taken once; null when there is none for this generation any more. */
  Resume take(StoreContext ctx, Instant now) {
    Resume resume = resumes.remove(ResourceID.fromResource(ctx.store()));
    return resume != null
            && resume.generation() == ctx.generation()
            && now.isBefore(resume.since().plus(TRUSTED_FOR))
        ? resume
        : null;
  }

  void remember(StoreContext ctx, Set<Step> done, Instant since) {
    resumes.put(
        ResourceID.fromResource(ctx.store()),
        new Resume(ctx.generation(), Set.copyOf(done), since));
  }
}
