package dev.artifactstore.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /readyz follows the readiness check; /healthz answers whenever the process does. */
class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private int get(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void readyzAnswers503UntilTheCheckPassesAnd200Then() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HttpEndpoints endpoints = HttpEndpoints.start("127.0.0.1", 0, 0, () -> "", ready::get)) {
      int health = endpoints.healthPort();
      assertEquals(503, get(health, "/readyz"));
      assertEquals(200, get(health, "/healthz"));
      ready.set(true);
      assertEquals(200, get(health, "/readyz"));
      ready.set(false);
      assertEquals(503, get(health, "/readyz"), "readiness is asked again on every probe");
      assertEquals(200, get(health, "/healthz"));
    }
  }
}
