package dev.artifactstore.operator.reconcile;

import java.time.Duration;
import java.time.Instant;

/** Poll and retry intervals. */
final class Backoff {
  static final Duration MIN_POLL = Duration.ofSeconds(1);
  static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
  static final Duration MIN_RETRY = Duration.ofSeconds(5);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private Backoff() {}

  /** The longest any Retry-After holds a store back: an answer's header is not trusted further. */
  static final Duration MAX_WAIT = Duration.ofMinutes(5);

  /**
   * Azure's Retry-After when it sent one (at most five minutes), else the default poll interval.
   */
  static Duration poll(Duration retryAfter) {
    if (retryAfter == null) {
      return DEFAULT_POLL;
    }
    return retryAfter.compareTo(MIN_POLL) < 0 ? MIN_POLL : capped(retryAfter);
  }

  /** {@code retryAfter}, at most five minutes. */
  static Duration capped(Duration retryAfter) {
    return retryAfter.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : retryAfter;
  }

  /**
   * How long to wait before retrying something that has been failing since {@code failingSince}: a
   * quarter of how long it has been failing, between 5 s and 5 min, so retries thin out on their
   * own without a counter kept in memory, and a store that recovers is not parked for long.
   */
  static Duration retry(Instant failingSince, Instant now) {
    if (failingSince == null) {
      return MIN_RETRY;
    }
    Duration quarter = Duration.between(failingSince, now).dividedBy(4);
    if (quarter.compareTo(MIN_RETRY) < 0) {
      return MIN_RETRY;
    }
    return quarter.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : quarter;
  }
}
