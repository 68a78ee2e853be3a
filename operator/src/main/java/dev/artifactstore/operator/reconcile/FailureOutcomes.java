package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.ArmBudget;
import dev.artifactstore.operator.azure.AzureFailure;
import java.time.Duration;
import java.util.Locale;

/** Azure failures become outcomes here, once, for every step. */
final class FailureOutcomes {
  private final SubscriptionGate gate;

  FailureOutcomes(SubscriptionGate gate) {
    this.gate = gate;
  }

  StepResult of(StoreContext ctx, AzureFailure f) {
    String subscription = ctx.desired.subscription();
    return switch (f.kind()) {
      case THROTTLED -> throttled(ctx, f, subscription);
      case AUTHENTICATION ->
          new StepResult.Stalled(
              "AuthenticationFailed",
              "Azure refused the credentials used for subscription "
                  + subscription
                  + ": "
                  + f.getMessage()
                  + ". Fix the Secret named by spec.credentialsSecretRef, or the operator's workload identity.");
      case AUTHORIZATION ->
          new StepResult.Stalled(
              "AuthorizationFailed",
              f.describe()
                  + " Grant the identity the missing permission (e.g. the Contributor role on the resource group) and the operator retries.");
      case POLICY ->
          new StepResult.Stalled(
              "PolicyDenied",
              "An Azure Policy denied the request: "
                  + f.describe()
                  + " Ask the policy owner for an exemption or change the spec.");
      case QUOTA ->
          new StepResult.Stalled(
              "QuotaExceeded",
              f.describe() + " Raise the quota or free capacity; the operator retries.");
      case CONFLICT ->
          new StepResult.Progressing(
              "WaitingForAzure",
              "Azure is busy with this resource (" + f.describe() + "); retrying.",
              f.retryAfter() == null ? Duration.ofSeconds(15) : Backoff.capped(f.retryAfter()));
      case REJECTED, NOT_FOUND ->
          new StepResult.Failed(
              "AzureRejected",
              "Azure rejected a request: " + f.describe() + " Retrying with backoff.",
              Backoff.retry(Conditions.falseSince(ctx.previous, Conditions.READY), ctx.now()));
      case TRANSIENT ->
          new StepResult.Failed(
              "AzureUnavailable",
              "Azure could not be reached or failed: " + f.describe() + " Retrying with backoff.",
              Backoff.retry(Conditions.falseSince(ctx.previous, Conditions.READY), ctx.now()));
    };
  }

  private StepResult throttled(StoreContext ctx, AzureFailure f, String subscription) {
    Duration wait = f.retryAfter() == null ? Duration.ofSeconds(10) : f.retryAfter();
    if (ArmBudget.QUEUED.equals(f.code())) {
      // Held back by the operator's own budget: only this store waits for its ticket, and when it
      // was a write, the store comes back to send it without reading again.
      if (f.queuedWrite() != null) {
        ctx.queued(f.queuedWrite());
      } else {
        ctx.keepQueuedWrite();
      }
      return new StepResult.Progressing(
          AwaitArmBudget.QUEUED_FOR_BUDGET,
          "Queued: "
              + f.getMessage()
              + ". This store's next Azure request goes out when its turn comes.",
          wait);
    }
    Duration pause = Backoff.capped(wait);
    gate.pause(subscription, pause);
    return new StepResult.Progressing(
        AwaitArmBudget.WAITING_FOR_BUDGET,
        "ARM throttled subscription "
            + subscription
            + " ("
            + f.describe()
            + "); every store of it pauses for "
            + seconds(pause)
            + " s"
            + (pause.equals(wait)
                ? "."
                : " (ARM asked for " + seconds(wait) + " s; a pause is capped at 5 min)."),
        pause);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }
}
