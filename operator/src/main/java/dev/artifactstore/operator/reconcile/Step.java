package dev.artifactstore.operator.reconcile;

import java.util.Set;

/**
 * One line of the runbook. A step observes what Azure has, acts to make it as the spec says, and
 * tells the chain whether to go on ({@link StepResult.Done}) or why the chain stops here and when
 * to come back.
 */
interface Step {
  StepResult run(StoreContext ctx);

  /**
   * The reasons this step stops at while making progress. A run that stopped at one of them left
   * every earlier step done, so the next run of the same generation may pick up here.
   */
  default Set<String> progressReasons() {
    return Set.of();
  }

  /**
   * A step whose finding a resumed run takes from the last status instead of observing Azure again:
   * the chain decides when (see {@link ReconcileChain}).
   */
  interface Resumable extends Step {
    /** The condition the step establishes. */
    String condition();

    /** Whether the step has work of its own under way (an operation, a request) to look at. */
    boolean busy(StoreContext ctx);

    /** Records as found what the last status says of this step. */
    void resume(StoreContext ctx);
  }
}
