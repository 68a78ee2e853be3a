package dev.artifactstore.simulator.arm;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ARM's per-subscription token buckets: reads 250 burst / 25 per s, writes 200 / 10 per s, deletes
 * 200 / 10 per s (configurable). A request that finds its bucket empty gets 429
 * SubscriptionRequestsThrottled with Retry-After.
 */
public final class Throttling {
  /** The kinds ARM counts separately. */
  public enum Kind {
    READS("read"),
    WRITES("write"),
    DELETES("delete");

    final String word;

    Kind(String word) {
      this.word = word;
    }

    public String header() {
      return "x-ms-ratelimit-remaining-subscription-" + name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind of(String method) {
      return switch (method) {
        case "GET", "HEAD" -> READS;
        case "DELETE" -> DELETES;
        default -> WRITES;
      };
    }
  }

  /** Burst and refill rate of one kind. */
  public record Limit(int burst, double perSecond) {}

  /** ARM's documented limits. */
  public static final Map<Kind, Limit> ARM_LIMITS =
      Map.of(
          Kind.READS, new Limit(250, 25),
          Kind.WRITES, new Limit(200, 10),
          Kind.DELETES, new Limit(200, 10));

  private final Clock clock;
  private final Map<Kind, Limit> limits;
  private volatile boolean enabled;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public Throttling(Clock clock, Map<Kind, Limit> limits, boolean enabled) {
    this.clock = clock;
    this.limits = limits;
    this.enabled = enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Outcome of taking a token: the tokens left, or the seconds to wait. */
  public record Verdict(boolean allowed, long remaining, long retryAfterSeconds) {}

  public Verdict take(String subscription, Kind kind) {
    Limit limit = limits.get(kind);
    if (!enabled) {
      return new Verdict(true, limit.burst(), 0);
    }
    Bucket bucket =
        buckets.computeIfAbsent(subscription + "/" + kind, k -> new Bucket(limit, clock.millis()));
    return bucket.take(clock.millis());
  }

  private static final class Bucket {
    private final Limit limit;
    private double tokens;
    private long updatedMillis;

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.updatedMillis = now;
    }

    synchronized Verdict take(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - updatedMillis) / 1000.0 * limit.perSecond());
      updatedMillis = now;
      if (tokens >= 1) {
        tokens -= 1;
        return new Verdict(true, (long) Math.floor(tokens), 0);
      }
      long wait = (long) Math.ceil((1 - tokens) / limit.perSecond());
      return new Verdict(false, 0, Math.max(1, wait));
    }
  }

  public String readableMessage(String subscription, Kind kind, long retryAfter) {
    return "Number of '"
        + kind.word
        + "' requests for subscription '"
        + subscription
        + "' actor 'simulator' exceeded. Please try again after '"
        + retryAfter
        + "' seconds after the first request.";
  }
}
