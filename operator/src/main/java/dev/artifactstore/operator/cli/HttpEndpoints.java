package dev.artifactstore.operator.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /metrics on the metrics port; /healthz and /readyz on the health port (the same port is fine).
 */
final class HttpEndpoints implements AutoCloseable {
  private final HttpServer metrics;
  private final HttpServer health;

  private HttpEndpoints(HttpServer metrics, HttpServer health) {
    this.metrics = metrics;
    this.health = health;
  }

  static HttpEndpoints start(
      String host,
      int metricsPort,
      int healthPort,
      Supplier<String> scrape,
      BooleanSupplier ready) {
    try {
      HttpServer metrics = HttpServer.create(new InetSocketAddress(host, metricsPort), 0);
      HttpServer health =
          healthPort == metricsPort && metricsPort != 0
              ? metrics
              : HttpServer.create(new InetSocketAddress(host, healthPort), 0);
      metrics.createContext(
          "/metrics", x -> reply(x, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
      health.createContext("/healthz", x -> reply(x, 200, "text/plain", "ok\n"));
      health.createContext(
          "/readyz",
          x -> {
            boolean ok = ready.getAsBoolean();
            reply(x, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "starting\n");
          });
      metrics.start();
      if (health != metrics) {
        health.start();
      }
      return new HttpEndpoints(metrics, health);
    } catch (IOException e) {
      throw new UserError("cannot listen on the metrics or health port: " + e.getMessage(), 1);
    }
  }

  int metricsPort() {
    return metrics.getAddress().getPort();
  }

  int healthPort() {
    return health.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    metrics.stop(0);
    if (health != metrics) {
      health.stop(0);
    }
  }
}
