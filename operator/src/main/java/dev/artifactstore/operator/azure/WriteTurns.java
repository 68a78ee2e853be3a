package dev.artifactstore.operator.azure;

import java.time.Duration;

/**
 * Turns in the operator's write budget, taken before the read that decides a write: the read goes
 * out only when the write can follow it at once, so a store waiting for its turn to create
 * something does not read it again and again while it waits, and what it writes was read a moment
 * before.
 */
public interface WriteTurns {
  /**
   * Zero when a write of {@code resourceId} may go out now, and the turn is kept for it; otherwise
   * how long until its turn. Asked again, the same turn answers.
   */
  Duration take(String resourceId);

  /** The write will not be made after all: its turn goes back to the budget. */
  void release(String resourceId);

  /** No budget: every write may go at once. */
  WriteTurns NONE =
      new WriteTurns() {
        @Override
        public Duration take(String resourceId) {
          return Duration.ZERO;
        }

        @Override
        public void release(String resourceId) {}
      };
}
