package dev.artifactstore.operator.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.RetryStrategy;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure ports for a subscription and identity, built once and reused: creating SDK managers is
 * expensive and their HTTP pipelines are thread-safe.
 */
public final class AzureClients {
  private static final Logger LOG = LoggerFactory.getLogger(AzureClients.class);
  private final AzureConnection connection;
  private final List<HttpPipelinePolicy> policies;

  /** How many subscription and identity pairs keep their clients; the least used go first. */
  public static final int CACHED = 256;

  private final Map<String, Ports> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ports> eldest) {
          return size() > CACHED;
        }
      };

  /** The three ports for one subscription and identity. */
  public record Ports(RegistryPort registries, NetworkPort network, DnsPort dns) {}

  public AzureClients(AzureConnection connection, List<HttpPipelinePolicy> policies) {
    this.connection = connection;
    this.policies = List.copyOf(policies);
  }

  public AzureConnection connection() {
    return connection;
  }

  /** The write budget the clients' requests go through, to take turns in before reading. */
  public WriteTurns writeTurns() {
    return policies.stream()
        .filter(WriteTurns.class::isInstance)
        .map(WriteTurns.class::cast)
        .findFirst()
        .orElse(WriteTurns.NONE);
  }

  /**
   * Ports for {@code subscription}, authenticated as {@code identityKey} (a stable name for the
   * credential, never the secret itself) with the credential {@code credential} supplies.
   */
  public Ports ports(
      String subscription, String identityKey, Supplier<TokenCredential> credential) {
    String key = subscription + "|" + identityKey;
    synchronized (cache) {
      Ports ports = cache.get(key);
      if (ports != null) {
        return ports;
      }
    }
    // Built outside the lock: building takes a while, and two threads building the same ports
    // once is harmless.
    Ports built = build(subscription, credential.get());
    synchronized (cache) {
      Ports raced = cache.putIfAbsent(key, built);
      return raced != null ? raced : built;
    }
  }

  /** How many subscription and identity pairs have clients now. */
  public int cachedPorts() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /**
   * Gets the operator identity's first token and loads the SDK's clients, so that the first
   * reconcile after start does not pay for either. Run on a thread of its own while the rest
   * starts; a failure here is left for the first reconcile to report.
   */
  public void warmUp() {
    try {
      TokenCredential credential = connection.defaultCredential();
      String scope = connection.environment().getManagementEndpoint();
      scope = (scope.endsWith("/") ? scope.substring(0, scope.length() - 1) : scope) + "/.default";
      credential.getToken(new TokenRequestContext().addScopes(scope)).block(Duration.ofSeconds(30));
      build("00000000-0000-0000-0000-000000000000", credential);
    } catch (RuntimeException e) {
      LOG.debug("warming up the Azure clients failed: {}", e.toString());
    }
  }

  /** Forgets ports built with an identity, e.g. after its Secret changed. */
  public void forget(String identityKey) {
    synchronized (cache) {
      cache.keySet().removeIf(k -> k.endsWith("|" + identityKey));
    }
  }

  /**
   * Forgets ports built with earlier versions of a Secret: identities {@code prefix + version} of
   * any version but {@code current}.
   */
  public void retire(String prefix, String current) {
    synchronized (cache) {
      cache
          .keySet()
          .removeIf(
              k -> {
                int bar = k.indexOf('|');
                String identity = k.substring(bar + 1);
                return identity.startsWith(prefix) && !identity.equals(prefix + current);
              });
    }
  }

  private Ports build(String subscription, TokenCredential credential) {
    AzureProfile profile =
        new AzureProfile(connection.tenantFor(null), subscription, connection.environment());
    RetryPolicy retry = new RetryPolicy(new TransientOnly());
    var acr =
        ContainerRegistryManager.configure()
            .withHttpClient(connection.httpClient())
            .withRetryPolicy(retry);
    var net =
        NetworkManager.configure().withHttpClient(connection.httpClient()).withRetryPolicy(retry);
    var dns =
        PrivateDnsZoneManager.configure()
            .withHttpClient(connection.httpClient())
            .withRetryPolicy(retry);
    for (HttpPipelinePolicy policy : policies) {
      acr.withPolicy(policy);
      net.withPolicy(policy);
      dns.withPolicy(policy);
    }
    return new Ports(
        new SdkRegistryPort(acr.authenticate(credential, profile)),
        new SdkNetworkPort(net.authenticate(credential, profile)),
        new SdkDnsPort(dns.authenticate(credential, profile)));
  }

  /**
   * Retries what is transient at the HTTP level (dropped connections, 408, 5xx) a couple of times,
   * quickly. Never 429: throttling is surfaced so the whole subscription pauses for Retry-After
   * instead of one thread sleeping on it.
   */
  static final class TransientOnly implements RetryStrategy {
    /** The longest Retry-After a retry inside one call waits out. */
    static final Duration LONGEST_INLINE_WAIT = Duration.ofSeconds(2);

    @Override
    public int getMaxRetries() {
      return 2;
    }

    @Override
    public Duration calculateRetryDelay(int retryAttempts) {
      return Duration.ofMillis(200L << retryAttempts);
    }

    @Override
    public boolean shouldRetry(HttpResponse response) {
      int status = response.getStatusCode();
      return (status == 408 || status == 500 || status == 502 || status == 503 || status == 504)
          && !asksForALongWait(response);
    }

    /**
     * Whether the answer asks to wait longer than {@link #LONGEST_INLINE_WAIT}: the SDK would sleep
     * that long inside the call, holding a reconcile thread, whatever the value. Such a failure
     * goes back to the reconciler, which requeues the store for at most five minutes.
     */
    static boolean asksForALongWait(HttpResponse response) {
      for (String header : List.of("retry-after-ms", "x-ms-retry-after-ms")) {
        String value = response.getHeaderValue(header);
        if (value != null) {
          return longerThan(value, LONGEST_INLINE_WAIT.toMillis());
        }
      }
      String seconds = response.getHeaderValue("Retry-After");
      return seconds != null && longerThan(seconds, LONGEST_INLINE_WAIT.toSeconds());
    }

    private static boolean longerThan(String value, long limit) {
      try {
        return Long.parseLong(value.trim()) > limit;
      } catch (NumberFormatException e) {
        return true; // an HTTP date: never waited out inside a call
      }
    }

    @Override
    public boolean shouldRetryException(Throwable throwable) {
      return throwable instanceof IOException || throwable.getCause() instanceof IOException;
    }
  }
}
