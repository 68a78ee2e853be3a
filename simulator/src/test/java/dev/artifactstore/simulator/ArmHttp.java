package dev.artifactstore.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Plain HTTPS to the simulator, for checks the SDK would hide (status codes, headers, 429s). */
final class ArmHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, Map<String, List<String>> headers, JsonNode body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    String code() {
      return body == null ? null : body.at("/error/code").asText(null);
    }
  }

  private final HttpClient client;
  private final String endpoint;
  private String token;

  ArmHttp(Simulator simulator) {
    this(simulator.endpoint(), simulator.caCertificate());
  }

  ArmHttp(String endpoint, java.nio.file.Path caCertificate) {
    this.endpoint = endpoint;
    this.client = HttpClient.newBuilder().sslContext(AzureSdk.trusting(caCertificate)).build();
  }

  Response token(String clientId, String secret) {
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode(endpoint + ".default", StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(URI.create(endpoint + "adfs/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  Response call(String method, String pathAndQuery, Object body) {
    if (token == null) {
      token =
          token("11111111-2222-3333-4444-555555555555", "secret")
              .body()
              .get("access_token")
              .asText();
    }
    return call(method, pathAndQuery, body, token);
  }

  Response call(String method, String pathAndQuery, Object body, String bearer) {
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery.substring(1)));
      if (bearer != null) {
        builder.header("Authorization", "Bearer " + bearer);
      }
      HttpRequest.BodyPublisher publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(
                  body instanceof String s ? s : JSON.writeValueAsString(body));
      builder.header("Content-Type", "application/json").method(method, publisher);
      return send(builder);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      return new Response(response.statusCode(), response.headers().map(), json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
