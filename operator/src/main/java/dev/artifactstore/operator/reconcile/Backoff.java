package dev.artifactstore.operator.reconcile;

import java.time.Duration;
import java.time.Instant;

/** Poll and retry intervals. */
final class Backoff {
  static final Duration MIN_POLL = Duration.ofSeconds(1);
  static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
  static final Duration MIN_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(10);
  static final Duration STALLED_RETRY = Duration.ofMinutes(5);

  private Backoff() {}

  /** Azure's Retry-After when it sent one, else the default poll interval. */
  static Duration poll(Duration retryAfter) {
    if (retryAfter == null) {
      return DEFAULT_POLL;
    }
    return retryAfter.compareTo(MIN_POLL) < 0 ? MIN_POLL : retryAfter;
  }

  /**
   * How long to wait before retrying something that has been failing since {@code failingSince}:
   * about as long as it has been failing, between 5 s and 10 min, so retries thin out on their own
   * without a counter kept in memory.
   */
  static Duration retry(Instant failingSince, Instant now) {
    if (failingSince == null) {
      return MIN_RETRY;
    }
    Duration failing = Duration.between(failingSince, now);
    if (failing.compareTo(MIN_RETRY) < 0) {
      return MIN_RETRY;
    }
    return failing.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : failing;
  }
}
