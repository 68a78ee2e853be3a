package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.identity.Tokens;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The ARM front door: authentication, routing, api-version checks, throttling, injected faults,
 * then the resource provider under the state lock; every answer is journaled.
 */
public final class ArmServer implements HttpHandler {
  private final Router router;
  private final ResourceStore store;
  private final Operations operations;
  private final Throttling throttling;
  private final Faults faults;
  private final Journal journal;
  private final Tokens tokens;
  private final Clock clock;
  private volatile String baseUrl;

  public ArmServer(
      Router router,
      ResourceStore store,
      Operations operations,
      Throttling throttling,
      Faults faults,
      Journal journal,
      Tokens tokens,
      Clock clock) {
    this.router = router;
    this.store = store;
    this.operations = operations;
    this.throttling = throttling;
    this.faults = faults;
    this.journal = journal;
    this.tokens = tokens;
    this.clock = clock;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Marks an exchange already held back for its subscription's latency. */
  private static final AttachmentKey<Boolean> DELAYED = AttachmentKey.create(Boolean.class);

  @Override
  public void handleRequest(HttpServerExchange exchange) throws IOException {
    long started = System.nanoTime();
    String method = exchange.getRequestMethod().toString();
    String path = exchange.getRequestPath();
    Duration latency = faults.requestLatency(subscriptionOf(path));
    if (!latency.isZero() && exchange.getAttachment(DELAYED) == null) {
      // Served that much later, without holding a worker thread meanwhile: a slow subscription
      // must not slow down another's requests.
      exchange.putAttachment(DELAYED, Boolean.TRUE);
      exchange.dispatch(
          SameThreadExecutor.INSTANCE,
          () ->
              exchange
                  .getIoThread()
                  .executeAfter(
                      () -> exchange.dispatch(this), latency.toMillis(), TimeUnit.MILLISECONDS));
      return;
    }
    Map<String, String> query = new LinkedHashMap<>();
    exchange.getQueryParameters().forEach((k, v) -> query.put(k, v.peekFirst()));
    String apiVersion = query.get("api-version");

    Object random = path.startsWith("/subscriptions") ? faults.randomRequestFault() : Faults.NONE;
    if (random == null || faults.dropConnection(method, path)) {
      exchange.getConnection().close();
      journal.record(
          clock.instant(),
          method,
          path,
          apiVersion,
          0,
          null,
          null,
          subscriptionOf(path),
          micros(started),
          "DroppedConnection",
          null);
      return;
    }

    Router.Match match = router.match(path, method);
    String namespace = match == null ? null : match.route().namespace();
    String resourceType = match == null ? null : match.route().resourceType();
    String subscription = subscriptionOf(path);
    ArmResponse response;
    Throttling.Kind kind = Throttling.Kind.of(method);
    Throttling.Verdict verdict = null;
    String client = null;
    try {
      String token = bearer(exchange);
      client = tokens.verify(token);
      if (client == null) {
        throw new ArmException(
                401,
                token == null ? "AuthenticationFailed" : "InvalidAuthenticationToken",
                token == null
                    ? "Authentication failed. The 'Authorization' header is missing."
                    : "The access token is invalid or has expired.")
            .header(
                "WWW-Authenticate",
                "Bearer authorization_uri=\"" + baseUrl + "adfs\", error=\"invalid_token\"");
      }
      if (match == null) {
        throw new ArmException(404, "NotFound", "No route for " + method + " " + path + ".");
      }
      if (!match.route().methods().contains(method)) {
        throw new ArmException(
            405, "MethodNotAllowed", "The method " + method + " is not allowed on " + path + ".");
      }
      ApiVersions.check(namespace, apiVersion);
      if (subscription != null) {
        verdict = throttling.take(subscription, kind);
        if (!verdict.allowed()) {
          faults.count("throttled");
          throw new ArmException(
                  429,
                  "SubscriptionRequestsThrottled",
                  throttling.readableMessage(subscription, kind, verdict.retryAfterSeconds()))
              .header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        }
      }
      Faults.Failure failure =
          random instanceof Faults.Failure randomFailure
              ? randomFailure
              : faults.requestFailure(method, path);
      if (failure != null) {
        throw new ArmException(failure.status(), failure.code(), failure.message())
            .header("Retry-After", Long.toString(failure.retryAfterSeconds()));
      }
      ArmRequest request =
          new ArmRequest(
              method,
              path,
              match.vars(),
              query,
              headers(exchange),
              body(exchange),
              baseUrl,
              client);
      synchronized (store) {
        try {
          operations.advance();
          response = match.route().handler().handle(request);
        } finally {
          // Kept before it is answered, as Azure keeps what it acknowledged.
          store.commit();
        }
      }
      response = Paging.page(request, response, Paging.DEFAULT_PAGE_SIZE);
    } catch (ArmException e) {
      response = error(e);
    } catch (RuntimeException e) {
      response = error(new ArmException(500, "InternalServerError", "The simulator failed: " + e));
    }

    if (verdict != null) {
      response.header(kind.header(), Long.toString(verdict.remaining()));
    }
    String errorCode =
        response.status() >= 400 && response.body() != null
            ? Json.text(response.body(), "/error/code")
            : null;
    // Journaled before it is sent: whoever holds an answer finds it in the journal.
    journal.record(
        clock.instant(),
        method,
        path,
        apiVersion,
        response.status(),
        namespace,
        resourceType,
        subscription,
        micros(started),
        errorCode,
        client);
    send(exchange, response);
  }

  private static long micros(long started) {
    return (System.nanoTime() - started) / 1000;
  }

  private static ArmResponse error(ArmException e) {
    ObjectNode body = Json.object();
    ObjectNode error = body.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    ArmResponse response = ArmResponse.of(e.status(), body);
    e.headers().forEach(response::header);
    return response;
  }

  private static String bearer(HttpServerExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private static Map<String, String> headers(HttpServerExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(h -> headers.put(h.getHeaderName().toString(), h.getFirst()));
    return headers;
  }

  private static JsonNode body(HttpServerExchange exchange) throws IOException {
    byte[] bytes = exchange.getInputStream().readAllBytes();
    if (bytes.length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized: " + e.getMessage());
    }
  }

  static String subscriptionOf(String path) {
    String[] parts = path.split("/");
    return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions")
        ? parts[2].toLowerCase(java.util.Locale.ROOT)
        : null;
  }

  static void send(HttpServerExchange exchange, ArmResponse response) {
    exchange.setStatusCode(response.status());
    var headers = exchange.getResponseHeaders();
    headers.put(new HttpString("x-ms-request-id"), UUID.randomUUID().toString());
    headers.put(new HttpString("x-ms-correlation-request-id"), UUID.randomUUID().toString());
    headers.put(new HttpString("Cache-Control"), "no-cache");
    response.headers().forEach((k, v) -> headers.put(new HttpString(k), v));
    if (response.body() == null) {
      exchange.setResponseContentLength(0);
      exchange.endExchange();
      return;
    }
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    headers.put(new HttpString("Content-Type"), "application/json; charset=utf-8");
    exchange.setResponseContentLength(bytes.length);
    exchange
        .getResponseSender()
        .send(new String(bytes, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
