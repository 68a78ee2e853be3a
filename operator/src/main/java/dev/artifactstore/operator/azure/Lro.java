package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.FluxUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starting and polling ARM long-running operations without waiting on them: the initial request is
 * sent, its poll URL and Retry-After are kept, and each later poll is one request.
 */
final class Lro {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

  private Lro() {}

  /** Sends the initial request of an operation; a synchronous success has no poll URL. */
  static Started start(Supplier<Mono<Response<Flux<ByteBuffer>>>> call) {
    try {
      Response<Flux<ByteBuffer>> response = call.get().block();
      FluxUtil.collectBytesInByteBufferStream(response.getValue()).block();
      return started(response.getHeaders());
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  /** Whether {@code url} has the scheme, host and port of {@code base}. */
  static boolean sameOrigin(String url, String base) {
    try {
      URI a = URI.create(url);
      URI b = URI.create(base);
      return "https".equalsIgnoreCase(a.getScheme())
          && a.getScheme().equalsIgnoreCase(b.getScheme())
          && a.getHost() != null
          && a.getHost().equalsIgnoreCase(b.getHost())
          && port(a) == port(b);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 443 : uri.getPort();
  }

  /** Where to poll an operation ARM accepted, from its answer's headers. */
  static Started started(HttpHeaders headers) {
    String poll = headers.getValue("Azure-AsyncOperation");
    if (poll == null) {
      poll = headers.getValue("Location");
    }
    return new Started(poll, retryAfter(headers.getValue("Retry-After")));
  }

  /**
   * Polls an operation, only on the ARM endpoint the operator was configured with: a poll URL comes
   * from status, which anyone who may edit the store can write, and the request carries the ARM
   * token. Any other URL is not requested and reads as an operation Azure no longer knows.
   */
  static OperationState poll(HttpPipeline pipeline, String armEndpoint, String url) {
    if (!sameOrigin(url, armEndpoint)) {
      return new OperationState(
          OperationState.Status.GONE,
          OperationState.FOREIGN_POLL_URL,
          "The poll URL "
              + url
              + " is not on the ARM endpoint "
              + armEndpoint
              + "; it was not requested.",
          null);
    }
    HttpResponse response;
    String body;
    try {
      response = pipeline.send(new HttpRequest(HttpMethod.GET, url)).block();
      body = response.getBodyAsString().block();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
    int status = response.getStatusCode();
    Duration retryAfter = retryAfter(response.getHeaderValue("Retry-After"));
    JsonNode json = parse(body);
    if (status == 404) {
      return new OperationState(OperationState.Status.GONE, "", "", retryAfter);
    }
    if (status == 429 || status >= 500 || status == 401 || status == 403) {
      throw failure(status, json, retryAfter);
    }
    if (status >= 400) {
      // A Location poll reports a failed operation as the operation's error.
      return new OperationState(
          OperationState.Status.FAILED,
          json.at("/error/code").asText(""),
          json.at("/error/message").asText(""),
          retryAfter);
    }
    String word = json.path("status").asText(status == 202 ? "InProgress" : "Succeeded");
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "succeeded" -> new OperationState(OperationState.Status.SUCCEEDED, "", "", retryAfter);
      case "failed", "canceled", "cancelled" ->
          new OperationState(
              OperationState.Status.FAILED,
              json.at("/error/code").asText(word),
              json.at("/error/message").asText("The operation ended " + word + "."),
              retryAfter);
      default -> new OperationState(OperationState.Status.RUNNING, "", "", retryAfter);
    };
  }

  /** ARM's error answer as a failure of its kind. */
  static AzureFailure failure(int status, JsonNode body, Duration retryAfter) {
    String code = body.at("/error/code").asText("");
    return new AzureFailure(
        ArmErrors.kindOf(status, code),
        status,
        code,
        body.at("/error/message").asText(""),
        retryAfter);
  }

  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  static Duration retryAfter(String value) {
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
