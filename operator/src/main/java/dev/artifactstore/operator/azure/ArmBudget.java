package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * A client-side copy of ARM's per-subscription token buckets, shared by every store, so the
 * operator spends its budget without provoking 429s, and fairly. A request that finds its bucket
 * empty is not sent and not waited for: it gets a ticket, a token reserved for it at a time after
 * every ticket already handed out, and fails at once as THROTTLED with the time until then. When
 * the store comes back with the same request, the ticket lets it through. Tickets are served first
 * come, first served, so a busy store cannot starve the others: whoever asked first goes first.
 */
public final class ArmBudget implements HttpPipelinePolicy {
  /** The code of a request the operator held back itself (it never reached Azure). */
  public static final String QUEUED = "ClientSideBudgetQueued";

  /** Burst and refill rate of one kind of request. */
  public record Limit(int burst, double perSecond) {}

  /** ARM's documented limits: reads 250/25 per s, writes 200/10 per s, deletes 200/10 per s. */
  public static ArmBudget armDefaults(Clock clock) {
    return new ArmBudget(clock, new Limit(250, 25), new Limit(200, 10), new Limit(200, 10));
  }

  /** A ticket not used this long after it fell due is dropped (its store went away). */
  private static final long TICKET_TTL_MS = 300_000;

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

  /**
   * Once per call, ahead of the SDK's retries: a held-back request is not a failure to retry, and
   * the rare transient retry goes out at once rather than behind every ticket.
   */
  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_CALL;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String path = context.getHttpRequest().getUrl().getPath();
    String subscription = subscriptionOf(path);
    if (subscription == null) {
      return next.process();
    }
    HttpMethod method = context.getHttpRequest().getHttpMethod();
    String kind =
        method == HttpMethod.GET || method == HttpMethod.HEAD
            ? "read"
            : method == HttpMethod.DELETE ? "delete" : "write";
    Limit limit = kind.equals("read") ? reads : kind.equals("delete") ? deletes : writes;
    Bucket bucket =
        buckets.computeIfAbsent(subscription + "|" + kind, k -> new Bucket(limit, clock.millis()));
    Duration wait = bucket.admit(method + " " + context.getHttpRequest().getUrl(), clock.millis());
    if (!wait.isZero()) {
      return Mono.error(
          new AzureFailure(
              AzureFailure.Kind.THROTTLED,
              429,
              QUEUED,
              "the operator's ARM "
                  + kind
                  + " budget for subscription "
                  + subscription
                  + " ("
                  + Math.round(limit.perSecond())
                  + " per second) is committed to requests queued earlier",
              wait,
              kind.equals("read") ? null : path));
    }
    return next.process();
  }

  /** Tickets waiting for their token, per bucket, e.g. {@code "sub|write" -> 12}. */
  public Map<String, Integer> queued() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    buckets.forEach((k, b) -> out.put(k, b.queued()));
    return out;
  }

  static String subscriptionOf(String path) {
    String[] parts = path.split("/");
    return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions")
        ? parts[2].toLowerCase(Locale.ROOT)
        : null;
  }

  /**
   * Tokens may go below zero: each negative token is one reserved for a ticket. The bucket holds a
   * little less than ARM's burst (2 %), so that a request sent the moment its ticket falls due
   * never meets an ARM bucket that started a moment later.
   */
  static final class Bucket {
    private final Limit limit;
    private final double capacity;
    private double tokens;
    private long updated;
    private final Map<String, Long> tickets = new HashMap<>();

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.capacity = limit.burst() * 0.98;
      this.tokens = capacity;
      this.updated = now;
    }

    /** Zero when the request may go now; otherwise how long until its ticket falls due. */
    synchronized Duration admit(String request, long now) {
      tokens = Math.min(capacity, tokens + (now - updated) / 1000.0 * limit.perSecond());
      updated = now;
      Long due = tickets.get(request);
      if (due != null) {
        if (due <= now) {
          tickets.remove(request);
          return Duration.ZERO;
        }
        return Duration.ofMillis(due - now);
      }
      tickets.values().removeIf(t -> t < now - TICKET_TTL_MS);
      tokens -= 1;
      if (tokens >= 0) {
        return Duration.ZERO;
      }
      long wait = Math.max(1, (long) Math.ceil(-tokens / limit.perSecond() * 1000));
      tickets.put(request, now + wait);
      return Duration.ofMillis(wait);
    }

    synchronized int queued() {
      return tickets.size();
    }
  }
}
