package dev.artifactstore.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ApiVersions;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.ArmServer;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import dev.artifactstore.simulator.arm.Operations;
import dev.artifactstore.simulator.arm.OperationsApi;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.arm.Throttling;
import dev.artifactstore.simulator.containerregistry.ContainerRegistryApi;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.identity.AuthorityServer;
import dev.artifactstore.simulator.identity.Tokens;
import dev.artifactstore.simulator.network.NetworkApi;
import dev.artifactstore.simulator.privatedns.PrivateDnsApi;
import dev.artifactstore.simulator.resources.ResourceManagerApi;
import dev.artifactstore.simulator.state.ResourceStore;
import dev.artifactstore.simulator.tls.Certificates;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.PathHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local Azure Resource Manager, embeddable in tests and the demo:
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(Simulator.options().dataDir(tmp))) {
 *   sim.endpoint();          // https://127.0.0.1:PORT/
 *   sim.caCertificate();     // PEM file to trust
 *   sim.journal().entries(); // every request answered
 *   sim.faults().setRegionDown("westus", true);
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
  public static final String DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";

  /**
   * A second subscription that always exists, as a landing zone's connectivity subscription holds
   * the hub network and its private DNS zones apart from the workloads.
   */
  public static final String CONNECTIVITY_SUBSCRIPTION = "00000000-0000-0000-0000-000000000002";

  /** How to start a simulator. */
  public static final class Options {
    int port;
    Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "artifactstore-simulator");
    Path stateFile;
    LatencyProfile profile = LatencyProfile.instant();
    Map<String, String> clients = new LinkedHashMap<>();
    Set<String> subscriptions =
        new LinkedHashSet<>(List.of(DEFAULT_SUBSCRIPTION, CONNECTIVITY_SUBSCRIPTION));
    boolean throttling = true;
    Map<Throttling.Kind, Throttling.Limit> limits = Throttling.ARM_LIMITS;
    Duration replicaCooldown = Duration.ofSeconds(30);
    Clock clock = Clock.systemUTC();

    public Options port(int port) {
      this.port = port;
      return this;
    }

    public Options dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Options stateFile(Path stateFile) {
      this.stateFile = stateFile;
      return this;
    }

    public Options profile(LatencyProfile profile) {
      this.profile = profile;
      return this;
    }

    public Options client(String id, String secret) {
      clients.put(id, secret);
      return this;
    }

    public Options subscription(String id) {
      subscriptions.add(id.toLowerCase(Locale.ROOT));
      return this;
    }

    public Options throttling(boolean on) {
      this.throttling = on;
      return this;
    }

    public Options limits(Map<Throttling.Kind, Throttling.Limit> limits) {
      this.limits = Map.copyOf(limits);
      return this;
    }

    public Options replicaCooldown(Duration cooldown) {
      this.replicaCooldown = cooldown;
      return this;
    }

    public Options clock(Clock clock) {
      this.clock = clock;
      return this;
    }
  }

  public static Options options() {
    return new Options();
  }

  private final Options options;
  private final Certificates certificates;
  private final ResourceStore store = new ResourceStore();
  private final Journal journal = new Journal();
  private final Faults faults = new Faults();
  private final Throttling throttling;
  private final Operations operations;
  private final Router router = new Router();
  private final Undertow server;
  private final ScheduledExecutorService flusher;
  private final String endpoint;

  private Simulator(Options options) {
    this.options = options;
    this.certificates = Certificates.loadOrCreate(options.dataDir);
    if (options.stateFile != null) {
      store.load(options.stateFile, logFile(options.stateFile));
    }
    Clock clock = options.clock;
    this.throttling = new Throttling(clock, options.limits, options.throttling);
    this.operations =
        new Operations(
            store,
            clock,
            options.profile,
            () -> UUID.randomUUID().toString(),
            faults::latencyMultiplier);
    ArmContext arm =
        new ArmContext(
            store,
            operations,
            clock,
            faults,
            () -> UUID.randomUUID().toString(),
            options.subscriptions);
    new OperationsApi(arm, router);
    new ResourceManagerApi(arm, router);
    PrivateDnsApi dns = new PrivateDnsApi(arm, router);
    NetworkApi network = new NetworkApi(arm, router, dns);
    new ContainerRegistryApi(arm, router, network.privateLinkHooks(), options.replicaCooldown);

    Tokens tokens = new Tokens(tokenKey(options.dataDir), clock);
    ArmServer armServer =
        new ArmServer(router, store, operations, throttling, faults, journal, tokens, clock);
    AuthorityServer authority = new AuthorityServer(tokens, options.clients);
    AdminServer admin = new AdminServer(this);
    MetadataServer metadata = new MetadataServer();
    PathHandler paths =
        new PathHandler(new BlockingHandler(armServer))
            .addPrefixPath("/adfs", new BlockingHandler(authority))
            .addPrefixPath("/_simulator", new BlockingHandler(admin))
            .addPrefixPath("/metadata/endpoints", metadata);
    this.server =
        Undertow.builder()
            .addHttpsListener(options.port, "127.0.0.1", certificates.sslContext())
            .setIoThreads(2)
            .setWorkerThreads(16)
            .setHandler(paths)
            .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    this.endpoint = "https://127.0.0.1:" + port + "/";
    armServer.setBaseUrl(endpoint);
    authority.setBaseUrl(endpoint);
    metadata.setBaseUrl(endpoint);
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulator-state");
              t.setDaemon(true);
              return t;
            });
    if (options.stateFile != null) {
      flusher.scheduleWithFixedDelay(this::saveState, 500, 500, TimeUnit.MILLISECONDS);
    }
  }

  /** The write-ahead log kept beside a state file. */
  public static Path logFile(Path stateFile) {
    return stateFile.resolveSibling(stateFile.getFileName() + ".log");
  }

  public static Simulator start(Options options) {
    return new Simulator(options);
  }

  private static byte[] tokenKey(Path dataDir) {
    Path file = dataDir.resolve("token-key");
    try {
      if (Files.exists(file)) {
        return Files.readAllBytes(file);
      }
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.write(file, key);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ARM endpoint, with a trailing slash: {@code https://127.0.0.1:PORT/}. */
  public String endpoint() {
    return endpoint;
  }

  public int port() {
    return Integer.parseInt(
        endpoint.substring(endpoint.lastIndexOf(':') + 1, endpoint.length() - 1));
  }

  /** The PEM file of the CA that signed the server certificate. */
  public Path caCertificate() {
    return certificates.caCertificatePem();
  }

  public Journal journal() {
    return journal;
  }

  public Faults faults() {
    return faults;
  }

  public Throttling throttling() {
    return throttling;
  }

  /** Runs {@code action} on the state under the lock requests are served with. */
  public <T> T withState(java.util.function.Function<ResourceStore, T> action) {
    synchronized (store) {
      try {
        operations.advance();
        return action.apply(store);
      } finally {
        store.commit();
      }
    }
  }

  /**
   * Serves one ARM request in this process as {@code client}, as if it had been sent and its
   * operation waited for: no connection, token, throttle or journal entry, and the operation it
   * starts ends at once. It goes through the resource providers' own rules, so a large estate
   * seeded this way (the benchmark's built fleet) is what Azure would hold after the same requests.
   * Throws the {@link ArmException} Azure would answer with.
   *
   * @param pathAndQuery the request's path with its {@code api-version} query
   */
  public ArmResponse seed(String client, String method, String pathAndQuery, JsonNode body) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        query.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    Router.Match match = router.match(path, method);
    if (match == null || !match.route().methods().contains(method)) {
      throw new ArmException(404, "NotFound", "No route for " + method + " " + path + ".");
    }
    ApiVersions.check(match.route().namespace(), query.get("api-version"));
    ArmRequest request =
        new ArmRequest(method, path, match.vars(), query, Map.of(), body, endpoint, client);
    synchronized (store) {
      try {
        operations.advance();
        ArmResponse response = match.route().handler().handle(request);
        operations.endAllOn(path);
        return response;
      } finally {
        store.commit();
      }
    }
  }

  /**
   * Takes {@code region}'s data endpoint out of a private endpoint's DNS configurations, as Azure
   * leaves an endpoint when a replica is added without writing the endpoint again. False when the
   * endpoint has no such member.
   */
  public boolean dropEndpointRegion(String endpointId, String region) {
    return withState(
        s -> {
          ObjectNode endpoint = s.get(endpointId);
          if (endpoint == null) {
            return false;
          }
          JsonNode configs = endpoint.at("/properties/customDnsConfigs");
          boolean dropped = false;
          for (int i = configs.size() - 1; i >= 0; i--) {
            if (configs.get(i).path("fqdn").asText().contains("." + region + ".")) {
              ((com.fasterxml.jackson.databind.node.ArrayNode) configs).remove(i);
              dropped = true;
            }
          }
          if (dropped) {
            s.changed(endpointId);
          }
          return dropped;
        });
  }

  /** A copy of one resource as ARM would return it; null when absent. */
  public ObjectNode resource(String id) {
    return withState(
        s -> {
          ObjectNode doc = s.get(id);
          return doc == null ? null : doc.deepCopy();
        });
  }

  /** Takes a region down or brings it back; running operations there fail at once. */
  public void setRegionDown(String region, boolean down) {
    faults.setRegionDown(region, down);
    if (down) {
      synchronized (store) {
        for (ObjectNode op : operations.inProgress()) {
          if (region.equalsIgnoreCase(op.path("region").asText())) {
            faults.count("region-outage-operation");
            operations.failNow(op, "ServiceUnavailable", "Region " + region + " is unavailable.");
          }
        }
        store.commit();
      }
    }
  }

  private void saveState() {
    synchronized (store) {
      store.saveIfDirty(options.stateFile);
    }
  }

  @Override
  public void close() {
    server.stop();
    flusher.shutdownNow();
    if (options.stateFile != null) {
      saveState();
    }
    store.close();
  }
}
