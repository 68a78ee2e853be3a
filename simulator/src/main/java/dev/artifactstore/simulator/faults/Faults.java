package dev.artifactstore.simulator.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults injected on purpose: failed requests, failed long-running operations, dropped connections,
 * region outages and slower operations. Counts what it injected, by kind.
 */
public final class Faults {
  /** Matches requests by method (null: any) and a case-insensitive path fragment (null: any). */
  public record Match(String method, String pathContains) {
    public static Match any() {
      return new Match(null, null);
    }

    public boolean test(String requestMethod, String path) {
      return (method == null || method.equalsIgnoreCase(requestMethod))
          && (pathContains == null
              || path.toLowerCase(Locale.ROOT).contains(pathContains.toLowerCase(Locale.ROOT)));
    }
  }

  /** An error to answer instead of serving the request, with the Retry-After it sends (seconds). */
  public record Failure(int status, String code, String message, long retryAfterSeconds) {
    public Failure(int status, String code, String message) {
      this(status, code, message, 1);
    }
  }

  private static final class Rule {
    final Match match;
    int remaining;
    final Failure failure;

    Rule(Match match, int remaining, Failure failure) {
      this.match = match;
      this.remaining = remaining;
      this.failure = failure;
    }
  }

  private final List<Rule> requestRules = new ArrayList<>();
  private final List<Rule> operationRules = new ArrayList<>();
  private final List<Rule> dropRules = new ArrayList<>();
  private final Set<String> regionsDown = ConcurrentHashMap.newKeySet();
  private volatile double latencyMultiplier = 1.0;
  private final Map<String, Duration> requestLatency = new ConcurrentHashMap<>();
  private volatile double randomRate;
  private volatile java.util.Random random = new java.util.Random(1);
  private final Map<String, Long> injected = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> withheld = new ConcurrentHashMap<>();
  private volatile boolean pendingAfterReplica;

  /** An action Azure checks on the caller beyond the request's own write permission. */
  public static final String APPROVAL_ACTION =
      "Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action";

  public static final String PROXY_WRITE =
      "Microsoft.Network/privateEndpoints/privateLinkServiceProxies/write";

  /** Reading endpoints: another team's endpoints are often out of an identity's reach. */
  public static final String ENDPOINT_READ = "Microsoft.Network/privateEndpoints/read";

  /**
   * Takes {@code action} from {@code client} ("*": every client) or gives it back: a role
   * assignment without it, as a least-privilege identity often has.
   */
  public void withhold(String client, String action, boolean withheld) {
    Set<String> actions = this.withheld.computeIfAbsent(client, c -> ConcurrentHashMap.newKeySet());
    if (withheld) {
      actions.add(action);
    } else {
      actions.remove(action);
    }
  }

  /** Whether {@code client} may perform {@code action}. */
  public boolean permits(String client, String action) {
    boolean denied =
        withheld.getOrDefault("*", Set.of()).contains(action)
            || (client != null && withheld.getOrDefault(client, Set.of()).contains(action));
    if (denied) {
      count(
          "withheld-" + action.substring(action.lastIndexOf('/', action.lastIndexOf('/') - 1) + 1));
    }
    return !denied;
  }

  /**
   * Whether a registry's endpoint connections go back to Pending when a replica is added (Azure
   * documents that they can; when they do, someone must approve them on the registry).
   */
  public void setPendingAfterReplica(boolean pending) {
    pendingAfterReplica = pending;
  }

  public boolean pendingAfterReplica() {
    return pendingAfterReplica;
  }

  /** The next {@code count} matching requests are answered with {@code failure}. */
  public synchronized void failNextRequests(int count, Match match, Failure failure) {
    requestRules.add(new Rule(match, count, failure));
  }

  /** The next {@code count} long-running operations started by matching requests end Failed. */
  public synchronized void failNextOperations(int count, Match match, String code, String message) {
    operationRules.add(new Rule(match, count, new Failure(200, code, message)));
  }

  /** The next {@code count} matching requests get their connection closed without an answer. */
  public synchronized void dropNextConnections(int count, Match match) {
    dropRules.add(new Rule(match, count, null));
  }

  /**
   * From now on each ARM request fails at random with this probability, as a 500, 503, 429 or a
   * dropped connection, and each long-running operation ends Failed with it (chaos tests). 0 stops
   * it.
   */
  public synchronized void setRandomFaults(double rate, long seed) {
    this.randomRate = rate;
    this.random = new java.util.Random(seed);
  }

  /** A random fault for this request, if the dice say so: a Failure, or null for "drop it". */
  public synchronized Object randomRequestFault() {
    if (randomRate <= 0 || random.nextDouble() >= randomRate) {
      return NONE;
    }
    switch (random.nextInt(4)) {
      case 0:
        count("random-500");
        return new Failure(500, "InternalServerError", "Injected at random.");
      case 1:
        count("random-503");
        return new Failure(503, "ServiceUnavailable", "Injected at random.");
      case 2:
        count("random-429");
        return new Failure(429, "SubscriptionRequestsThrottled", "Injected at random.");
      default:
        count("random-dropped-connection");
        return null;
    }
  }

  /** Marker for "no random fault". */
  public static final Object NONE = new Object();

  /** Whether a long-running operation being started should end Failed, at random. */
  public synchronized boolean randomOperationFailure() {
    if (randomRate <= 0 || random.nextDouble() >= randomRate) {
      return false;
    }
    count("random-failed-operation");
    return true;
  }

  public void setRegionDown(String region, boolean down) {
    String key = region.toLowerCase(Locale.ROOT);
    if (down) {
      regionsDown.add(key);
    } else {
      regionsDown.remove(key);
    }
  }

  public boolean isRegionDown(String region) {
    return region != null && regionsDown.contains(region.toLowerCase(Locale.ROOT));
  }

  public Set<String> regionsDown() {
    return Set.copyOf(regionsDown);
  }

  public void setLatencyMultiplier(double multiplier) {
    if (!(multiplier > 0)) {
      throw new IllegalArgumentException("latency multiplier must be positive");
    }
    this.latencyMultiplier = multiplier;
  }

  public double latencyMultiplier() {
    return latencyMultiplier;
  }

  /**
   * Every ARM request of {@code subscription} is answered {@code latency} late (zero: on time), as
   * a slow or distant ARM region answers; other subscriptions are not held up.
   */
  public void setRequestLatency(String subscription, Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    if (latency.isZero()) {
      requestLatency.remove(subscription.toLowerCase(Locale.ROOT));
    } else {
      requestLatency.put(subscription.toLowerCase(Locale.ROOT), latency);
    }
  }

  /** How late requests of {@code subscription} are answered. */
  public Duration requestLatency(String subscription) {
    return subscription == null
        ? Duration.ZERO
        : requestLatency.getOrDefault(subscription.toLowerCase(Locale.ROOT), Duration.ZERO);
  }

  public synchronized void clear() {
    requestRules.clear();
    operationRules.clear();
    dropRules.clear();
    regionsDown.clear();
    latencyMultiplier = 1.0;
    requestLatency.clear();
    randomRate = 0;
    withheld.clear();
    pendingAfterReplica = false;
  }

  public synchronized Failure requestFailure(String method, String path) {
    Rule rule = take(requestRules, method, path);
    if (rule == null) {
      return null;
    }
    count("request-" + rule.failure.status());
    return rule.failure;
  }

  public synchronized Failure operationFailure(String method, String path) {
    Rule rule = take(operationRules, method, path);
    if (rule == null) {
      return null;
    }
    count("failed-operation");
    return rule.failure;
  }

  public synchronized boolean dropConnection(String method, String path) {
    if (take(dropRules, method, path) == null) {
      return false;
    }
    count("dropped-connection");
    return true;
  }

  public void count(String kind) {
    injected.merge(kind, 1L, Long::sum);
  }

  /** How many faults of each kind were injected so far. */
  public Map<String, Long> injected() {
    return new TreeMap<>(injected);
  }

  private static Rule take(List<Rule> rules, String method, String path) {
    for (var it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.match.test(method, path)) {
        if (--rule.remaining <= 0) {
          it.remove();
        }
        return rule;
      }
    }
    return null;
  }
}
