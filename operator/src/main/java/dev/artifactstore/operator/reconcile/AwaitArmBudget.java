package dev.artifactstore.operator.reconcile;

import java.time.Duration;
import java.util.Set;

/**
 * Step: no Azure request while ARM throttles the store's subscription. A 429 pauses every store of
 * the subscription for its Retry-After ({@link SubscriptionGate}).
 */
final class AwaitArmBudget implements Step {
  static final String WAITING_FOR_BUDGET = "WaitingForArmBudget";

  /** Held back by the operator's own budget until the store's ticket falls due: routine. */
  static final String QUEUED_FOR_BUDGET = "QueuedForArmBudget";

  static final Set<String> BUDGET_WAITS = Set.of(WAITING_FOR_BUDGET, QUEUED_FOR_BUDGET);

  private final SubscriptionGate gate;

  AwaitArmBudget(SubscriptionGate gate) {
    this.gate = gate;
  }

  @Override
  public StepResult run(StoreContext ctx) {
    String subscription = ctx.desired.subscription();
    Duration paused = gate.remaining(subscription);
    if (paused.isZero()) {
      return StepResult.done();
    }
    return new StepResult.Progressing(
        WAITING_FOR_BUDGET,
        "ARM throttled subscription "
            + subscription
            + "; every store of it waits "
            + FailureOutcomes.seconds(paused)
            + " s before calling Azure again.",
        paused);
  }
}
