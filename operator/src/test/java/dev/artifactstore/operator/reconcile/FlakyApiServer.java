package dev.artifactstore.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes API server that is not to be relied on, in front of a real one (the mock API
 * server): it answers requests with 500 or 503, or not at all; refuses status writes with 409;
 * holds watch events back, drops watch connections and answers watches with 410 Gone, each at a
 * rate. Every status write it passed on and the server accepted is kept, per store, in order.
 */
final class FlakyApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions",
          "sec-websocket-accept");

  /** How often each fault happens; all zero passes everything on at once. */
  record Rates(
      double serverError,
      double noAnswer,
      double statusConflict,
      double watchGone,
      Duration watchLifetime,
      Duration eventDelay) {
    static final Rates NONE = new Rates(0, 0, 0, 0, null, Duration.ZERO);
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient upstream;
  private final HttpServer server;
  private final Random random = new Random(20261207L);
  private volatile Rates rates = Rates.NONE;
  private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
  private final Map<String, List<JsonNode>> statusWrites = new ConcurrentHashMap<>();

  FlakyApiServer(String upstreamUrl) throws Exception {
    java.net.URI target = java.net.URI.create(upstreamUrl);
    this.upstream =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(target.getHost())
                .setDefaultPort(target.getPort())
                .setMaxPoolSize(64));
    this.server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .webSocketHandler(this::watch)
            .requestHandler(this::request)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** The URL to give the operator's client. */
  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  void rates(Rates rates) {
    this.rates = rates;
  }

  /** Faults injected so far, by kind. */
  Map<String, Long> injected() {
    Map<String, Long> out = new TreeMap<>();
    injected.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The statuses written and accepted, per store path ({@code namespace/name}), in order. */
  Map<String, List<JsonNode>> statusWrites() {
    Map<String, List<JsonNode>> out = new TreeMap<>();
    statusWrites.forEach(
        (k, v) -> {
          synchronized (v) {
            out.put(k, List.copyOf(v));
          }
        });
    return out;
  }

  private void count(String kind) {
    injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
  }

  private synchronized boolean chance(double rate) {
    return rate > 0 && random.nextDouble() < rate;
  }

  private synchronized long upTo(Duration max) {
    return max == null || max.isZero() ? 0 : 1 + (long) (random.nextDouble() * max.toMillis());
  }

  private void request(HttpServerRequest req) {
    req.pause();
    Rates r = rates;
    boolean statusWrite = req.path().endsWith("/status") && !req.method().name().equals("GET");
    boolean watch = "true".equals(req.getParam("watch"));
    if (!watch && chance(r.serverError())) {
      int code = chance(0.5) ? 500 : 503;
      count(code + "");
      req.response().setStatusCode(code).end(status(code, "InternalError", "injected"));
      return;
    }
    if (!watch && chance(r.noAnswer())) {
      count("no answer");
      vertx.setTimer(500, t -> req.connection().close());
      return;
    }
    if (statusWrite && chance(r.statusConflict())) {
      count("409 status");
      req.response()
          .setStatusCode(409)
          .end(status(409, "Conflict", "the object has been modified (injected)"));
      return;
    }
    req.body()
        .onSuccess(
            body ->
                upstream
                    .request(req.method(), req.uri())
                    .onSuccess(
                        up -> {
                          copy(req.headers(), up.headers());
                          up.send(body)
                              .onSuccess(
                                  resp -> {
                                    var out = req.response().setStatusCode(resp.statusCode());
                                    copy(resp.headers(), out.headers());
                                    if (statusWrite && resp.statusCode() < 300) {
                                      record(req.path(), body);
                                    }
                                    out.setChunked(true);
                                    resp.pipeTo(out);
                                  })
                              .onFailure(e -> req.response().setStatusCode(502).end());
                        })
                    .onFailure(e -> req.response().setStatusCode(502).end()));
    req.resume();
  }

  private void record(String path, Buffer body) {
    try {
      JsonNode patch = JSON.readTree(body.getBytes());
      JsonNode status = null;
      if (patch.isArray()) {
        for (JsonNode op : patch) {
          if ("/status".equals(op.path("path").asText())) {
            status = op.get("value");
          }
        }
      } else {
        status = patch.get("status");
      }
      if (status == null) {
        return;
      }
      // .../namespaces/NS/artifactstores/NAME/status
      String[] parts = path.split("/");
      String key = parts[parts.length - 4] + "/" + parts[parts.length - 2];
      List<JsonNode> writes = statusWrites.computeIfAbsent(key, k -> new ArrayList<>());
      synchronized (writes) {
        writes.add(status);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void watch(ServerWebSocket client) {
    Rates r = rates;
    if (chance(r.watchGone())) {
      count("410 watch");
      client.accept();
      client.writeTextMessage(
          "{\"type\":\"ERROR\",\"object\":"
              + status(410, "Expired", "too old resource version (injected)")
              + "}");
      client.close();
      return;
    }
    WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(client.uri());
    client
        .headers()
        .forEach(
            h -> {
              if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
              }
            });
    client.pause();
    upstream
        .webSocket(options)
        .onSuccess(
            api -> {
              // Events are held back, in order: each goes out after its delay and after the one
              // before it. The rates are those of the moment, for a watch outlives them.
              AtomicLong nextAt = new AtomicLong();
              api.textMessageHandler(
                  message -> {
                    long at =
                        Math.max(
                            System.currentTimeMillis() + upTo(rates.eventDelay()),
                            nextAt.get() + 1);
                    nextAt.set(at);
                    vertx.setTimer(
                        Math.max(1, at - System.currentTimeMillis()),
                        t -> {
                          if (!client.isClosed()) {
                            client.writeTextMessage(message);
                          }
                        });
                  });
              // Dropped at a random moment: a watch lives watchLifetime on average.
              long dropper =
                  vertx.setPeriodic(
                      500,
                      t -> {
                        Duration lifetime = rates.watchLifetime();
                        if (lifetime != null
                            && !client.isClosed()
                            && chance(500.0 / lifetime.toMillis())) {
                          count("watch dropped");
                          client.close();
                        }
                      });
              api.closeHandler(v -> client.close());
              client.closeHandler(
                  v -> {
                    vertx.cancelTimer(dropper);
                    api.close();
                  });
              client.resume();
            })
        .onFailure(e -> client.close());
  }

  private static void copy(MultiMap from, MultiMap to) {
    from.forEach(
        h -> {
          if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
            to.add(h.getKey(), h.getValue());
          }
        });
  }

  private static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\""
        + message
        + "\",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
