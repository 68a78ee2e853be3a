package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * A client-side copy of ARM's per-subscription token buckets, so the operator spends its budget
 * without provoking 429s. A request that finds its bucket empty is not sent and not waited for: it
 * fails at once as THROTTLED with the time until the next token, and the store comes back then.
 */
public final class ArmBudget implements HttpPipelinePolicy {
  /** Burst and refill rate of one kind of request. */
  public record Limit(int burst, double perSecond) {}

  /** ARM's documented limits: reads 250/25 per s, writes 200/10 per s, deletes 200/10 per s. */
  public static ArmBudget armDefaults(Clock clock) {
    return new ArmBudget(clock, new Limit(250, 25), new Limit(200, 10), new Limit(200, 10));
  }

  private final Clock clock;
  private final Limit reads;
  private final Limit writes;
  private final Limit deletes;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public ArmBudget(Clock clock, Limit reads, Limit writes, Limit deletes) {
    this.clock = clock;
    this.reads = reads;
    this.writes = writes;
    this.deletes = deletes;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String path = context.getHttpRequest().getUrl().getPath();
    String subscription = subscriptionOf(path);
    if (subscription == null) {
      return next.process();
    }
    HttpMethod method = context.getHttpRequest().getHttpMethod();
    Limit limit =
        method == HttpMethod.GET || method == HttpMethod.HEAD
            ? reads
            : method == HttpMethod.DELETE ? deletes : writes;
    Bucket bucket =
        buckets.computeIfAbsent(subscription + "|" + limit, k -> new Bucket(limit, clock.millis()));
    Duration wait = bucket.take(clock.millis());
    if (!wait.isZero()) {
      return Mono.error(
          new AzureFailure(
              AzureFailure.Kind.THROTTLED,
              429,
              "ClientSideBudgetExhausted",
              "The operator's "
                  + method
                  + " budget for subscription "
                  + subscription
                  + " is spent for now",
              wait));
    }
    return next.process();
  }

  static String subscriptionOf(String path) {
    String[] parts = path.split("/");
    return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions")
        ? parts[2].toLowerCase(Locale.ROOT)
        : null;
  }

  private static final class Bucket {
    private final Limit limit;
    private double tokens;
    private long updated;

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.tokens = limit.burst();
      this.updated = now;
    }

    synchronized Duration take(long now) {
      tokens = Math.min(limit.burst(), tokens + (now - updated) / 1000.0 * limit.perSecond());
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofMillis(
          Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond() * 1000)));
    }
  }
}
