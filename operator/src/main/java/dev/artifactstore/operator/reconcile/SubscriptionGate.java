package dev.artifactstore.operator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A 429 from ARM pauses every store of that subscription until Retry-After has passed: the bucket
 * is per subscription, so one store's retry would only spend another's budget.
 */
public final class SubscriptionGate {
  private final Clock clock;
  private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

  public SubscriptionGate(Clock clock) {
    this.clock = clock;
  }

  public void pause(String subscription, Duration retryAfter) {
    Instant until = clock.instant().plus(retryAfter);
    pausedUntil.merge(subscription, until, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** How long the subscription stays paused; zero when it is not. */
  public Duration remaining(String subscription) {
    Instant until = pausedUntil.get(subscription);
    if (until == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), until);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
