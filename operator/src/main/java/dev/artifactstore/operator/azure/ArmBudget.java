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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
public final class ArmBudget implements HttpPipelinePolicy, WriteTurns {
  /** The code of a request the operator held back itself (it never reached Azure). */
  public static final String QUEUED = "ClientSideBudgetQueued";

  /** Burst and refill rate of one kind of request. */
  public record Limit(int burst, double perSecond) {}

  /** A ticket not asked for this long after it was due is dropped (its store went away). */
  private static final long TICKET_TTL_MS = 300_000;

  /**
   * Which writes go first when several wait, highest rank first, by the first fragment of a path
   * that matches (0 for none: a registry). A write decided a moment ago without a turn taken before
   * it (records, a zone group after its endpoint, a replica after its registry) goes before one
   * that takes its turn before it reads (an endpoint, a registry): the first kind must be read
   * again when it has waited long, the second waits without reading anything.
   */
  private static final List<Map.Entry<String, Integer>> RANKS =
      List.of(
          Map.entry("/privatednszones/", 4),
          Map.entry("/privatednszonegroups/", 3),
          Map.entry("/replications/", 2),
          Map.entry("/privateendpoints/", 1));

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
            kind.equals("write")
                ? writeKey(path)
                : method + " " + context.getHttpRequest().getUrl(),
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

  @Override
  public Duration take(String resourceId) {
    String subscription = subscriptionOf(resourceId);
    if (subscription == null) {
      return Duration.ZERO;
    }
    return writes(subscription).reserve(writeKey(resourceId), rank(resourceId), clock.millis());
  }

  @Override
  public void release(String resourceId) {
    String subscription = subscriptionOf(resourceId);
    if (subscription != null) {
      writes(subscription).cancel(writeKey(resourceId), clock.millis());
    }
  }

  private Bucket writes(String subscription) {
    return buckets.computeIfAbsent(
        subscription + "|write", k -> new Bucket(writes, clock.millis()));
  }

  /** A write's ticket is the resource's, whatever the request: a turn taken is the PUT's turn. */
  private static String writeKey(String path) {
    return "write " + path.toLowerCase(Locale.ROOT);
  }

  /** Tickets waiting for their token, per bucket, e.g. {@code "sub|write" -> 12}. */
  public Map<String, Integer> queued() {
    Map<String, Integer> out = new TreeMap<>();
    buckets.forEach((k, b) -> out.put(k, b.queued()));
    return out;
  }

  /** How soon a write to {@code path} goes when several wait: see {@link #RANKS}. */
  static int rank(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Integer> rank : RANKS) {
      if (lower.contains(rank.getKey())) {
        return rank.getValue();
      }
    }
    return 0;
  }

  static String subscriptionOf(String path) {
    String[] parts = path.split("/");
    return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions")
        ? parts[2].toLowerCase(Locale.ROOT)
        : null;
  }

  /**
   * Tokens may go below zero: each negative token is one reserved for a ticket, which falls due
   * when the refill has covered it. A ticket keeps its token until its store comes back for it, so
   * a store that comes back late loses nothing, and one that never comes back costs one token. A
   * higher-rank ticket takes the earliest slot still ahead of lower-rank tickets, which move back
   * one slot each, in their order. The bucket holds a little less than ARM's burst (2 %), so that a
   * request sent the moment its ticket falls due never meets an ARM bucket that started a moment
   * later.
   */
  static final class Bucket {
    private final Limit limit;
    private final double capacity;
    private double tokens;
    private long updated;

    /** Tickets in the order of their slots. */
    private final List<Ticket> tickets = new ArrayList<>();

    /** The same tickets by request: a store coming back finds its own without a scan. */
    private final Map<String, Ticket> byRequest = new HashMap<>();

    private static final class Ticket {
      final String request;
      final int rank;
      long due;

      Ticket(String request, int rank, long due) {
        this.request = request;
        this.rank = rank;
        this.due = due;
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

    /** Zero when the request may go now; otherwise how long until its ticket falls due. */
    synchronized Duration admit(String request, int rank, long now) {
      refill(now);
      Ticket held = find(request);
      if (held != null) {
        if (held.due <= now) {
          remove(held);
          return Duration.ZERO;
        }
        return Duration.ofMillis(held.due - now);
      }
      long slot = issue(rank, now);
      if (slot <= now) {
        return Duration.ZERO;
      }
      add(new Ticket(request, rank, slot));
      return Duration.ofMillis(slot - now);
    }

    /**
     * A turn for a request not sent yet: like {@link #admit}, but a turn that has come is kept for
     * the request, which then goes through without spending another token.
     */
    synchronized Duration reserve(String request, int rank, long now) {
      refill(now);
      Ticket held = find(request);
      if (held == null) {
        held = new Ticket(request, rank, Math.max(now, issue(rank, now)));
        add(held);
      }
      return Duration.ofMillis(Math.max(0, held.due - now));
    }

    /** A reserved request that will not be sent: its token goes back. */
    synchronized void cancel(String request, long now) {
      refill(now);
      Ticket held = find(request);
      if (held != null) {
        remove(held);
        tokens = Math.min(capacity, tokens + 1);
      }
    }

    private void refill(long now) {
      tokens = Math.min(capacity, tokens + (now - updated) / 1000.0 * limit.perSecond());
      updated = now;
    }

    /**
     * Takes a token: the time it is there for a request of {@code rank}, {@code now} or earlier
     * when there is one at once.
     */
    private long issue(int rank, long now) {
      tickets.removeIf(
          t -> {
            boolean dropped = t.due < now - TICKET_TTL_MS;
            if (dropped) {
              byRequest.remove(t.request);
            }
            return dropped;
          });
      tokens -= 1;
      if (tokens >= 0) {
        return now;
      }
      long slot = now + Math.max(1, (long) Math.ceil(-tokens / limit.perSecond() * 1000));
      // Lower-rank tickets still waiting each move to the next one's slot, the last to the new one.
      List<Ticket> behind = tickets.stream().filter(t -> t.due > now && t.rank < rank).toList();
      for (int i = behind.size() - 1; i >= 0; i--) {
        long was = behind.get(i).due;
        behind.get(i).due = slot;
        slot = was;
      }
      return slot;
    }

    private Ticket find(String request) {
      return byRequest.get(request);
    }

    private void add(Ticket ticket) {
      tickets.add(ticket);
      tickets.sort(Comparator.comparingLong(t -> t.due));
      byRequest.put(ticket.request, ticket);
    }

    private void remove(Ticket ticket) {
      tickets.remove(ticket);
      byRequest.remove(ticket.request);
    }

    synchronized int queued() {
      return tickets.size();
    }
  }
}
