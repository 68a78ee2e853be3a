package dev.artifactstore.operator.reconcile;

import java.time.Duration;

/** What a step of the chain found: done, or why to stop here and when to come back. */
public sealed interface StepResult {
  /** This step's part of Azure matches the spec; go on to the next step. */
  record Done() implements StepResult {}

  /** Azure is working (an operation runs); come back after {@code after}. */
  record Progressing(String reason, String message, Duration after) implements StepResult {}

  /** Progress needs a human; retried slowly in case the cause goes away. */
  record Stalled(String reason, String message) implements StepResult {}

  /**
   * The store asked for no Azure writes ({@code reconcile-policy: skip}); nothing was requested.
   */
  record Paused(String message) implements StepResult {}

  /** Azure reported a failure or was unreachable; retried with backoff. */
  record Failed(String reason, String message, Duration after) implements StepResult {}

  static StepResult done() {
    return new Done();
  }
}
