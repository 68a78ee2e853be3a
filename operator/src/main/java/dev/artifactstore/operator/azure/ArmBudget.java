package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * A client-side copy of ARM's per-subscription token buckets, shared by every store, so the
 * operator spends its budget without provoking 429s, and fairly. A request that finds its bucket
 * empty is not sent and not waited for: it gets a ticket, a place in the bucket's queue, and fails
 * at once as THROTTLED with the time until a token would be there for its place. When the store
 * comes back with the same request, the ticket lets it through if its turn has come.
 *
 * <p>Reads and deletes are served first come, first served, so a busy store cannot starve the
 * others. Writes are too, within a rank: a write to what comes later in building a store (its
 * replica, private endpoint, DNS zone group, DNS records) goes before the first write of a store
 * not yet started. The budget goes out at the same rate either way; this way stores already under
 * way are finished first and become Ready one after the other, rather than all of them near the
 * end. No store waits for ever: each build has only so many later writes.
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

  /** A ticket not asked for this long after it was due is dropped (its store went away). */
  private static final long TICKET_TTL_MS = 300_000;

  /** The resources of a store in the order it is built; a write to a later one goes first. */
  private static final List<String> BUILD_ORDER =
      List.of(
          "/replications/", "/privateendpoints/", "/privatednszonegroups/", "/privatednszones/");

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
    Duration wait =
        bucket.admit(
            method + " " + context.getHttpRequest().getUrl(),
            kind.equals("write") ? rank(path) : 0,
            clock.millis());
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

  /** How far into building a store a write to {@code path} comes: 0 for the registry itself. */
  static int rank(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    int rank = 0;
    for (int i = 0; i < BUILD_ORDER.size(); i++) {
      if (lower.contains(BUILD_ORDER.get(i))) {
        rank = i + 1;
      }
    }
    return rank;
  }

  static String subscriptionOf(String path) {
    String[] parts = path.split("/");
    return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions")
        ? parts[2].toLowerCase(Locale.ROOT)
        : null;
  }

  /**
   * Tokens refill at ARM's rate up to a little less than ARM's burst (2 %), so that a request sent
   * the moment its turn comes never meets an ARM bucket that started a moment later. A ticket at
   * place {@code p} of the queue goes when {@code p + 1} tokens are there, so a store that comes
   * back late loses nothing and the ones behind it are not held up.
   */
  static final class Bucket {
    private final Limit limit;
    private final double capacity;
    private double tokens;
    private long updated;

    /** Waiting requests in the order they are served: higher rank first, then first come. */
    private final List<Ticket> queue = new ArrayList<>();

    private static final class Ticket {
      final String request;
      final int rank;
      long due;

      Ticket(String request, int rank) {
        this.request = request;
        this.rank = rank;
      }
    }

    Bucket(Limit limit, long now) {
      this.limit = limit;
      this.capacity = limit.burst() * 0.98;
      this.tokens = capacity;
      this.updated = now;
    }

    /** First come, first served. */
    synchronized Duration admit(String request, long now) {
      return admit(request, 0, now);
    }

    /** Zero when the request may go now; otherwise how long until its turn would come. */
    synchronized Duration admit(String request, int rank, long now) {
      tokens = Math.min(capacity, tokens + (now - updated) / 1000.0 * limit.perSecond());
      updated = now;
      queue.removeIf(t -> t.due < now - TICKET_TTL_MS);
      int place = placeOf(request);
      if (place < 0) {
        place = enqueue(new Ticket(request, rank));
      }
      double needed = place + 1;
      if (tokens + 1e-9 >= needed) {
        queue.remove(place);
        tokens -= 1;
        return Duration.ZERO;
      }
      long wait = Math.max(1, (long) Math.ceil((needed - tokens) / limit.perSecond() * 1000));
      queue.get(place).due = now + wait;
      return Duration.ofMillis(wait);
    }

    private int placeOf(String request) {
      for (int i = 0; i < queue.size(); i++) {
        if (queue.get(i).request.equals(request)) {
          return i;
        }
      }
      return -1;
    }

    /** Behind every ticket of the same or a higher rank. */
    private int enqueue(Ticket ticket) {
      int place = queue.size();
      while (place > 0 && queue.get(place - 1).rank < ticket.rank) {
        place--;
      }
      queue.add(place, ticket);
      return place;
    }

    synchronized int queued() {
      return queue.size();
    }
  }
}
