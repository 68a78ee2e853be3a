package dev.artifactstore.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Request/response recordings from live Azure (go-vcr, vcrpy and Azure Go SDK formats), read into
 * one shape.
 */
final class Recordings {
  static final Path DIR = Path.of("src", "test", "resources", "recordings");

  record Interaction(
      int index,
      String method,
      String url,
      String requestBody,
      int status,
      Map<String, String> responseHeaders,
      String responseBody) {

    String header(String name) {
      return responseHeaders.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static List<Path> files() throws IOException {
    try (var walk = Files.walk(DIR)) {
      return walk.filter(p -> p.toString().matches(".*\\.(yaml|json|partial)$")).sorted().toList();
    }
  }

  static List<Interaction> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (file.toString().endsWith(".json")) {
      return fromGo(new ObjectMapper().readTree(text));
    }
    if (file.toString().endsWith(".partial")) {
      // Cut at the last complete interaction.
      int cut = Math.max(text.lastIndexOf("\n- request:"), text.lastIndexOf("\n    - id:"));
      text = text.substring(0, cut);
    }
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(text);
    List<Interaction> out = new ArrayList<>();
    for (JsonNode it : root.get("interactions")) {
      JsonNode req = it.get("request");
      JsonNode res = it.get("response");
      String url = req.has("url") ? req.get("url").asText() : req.get("uri").asText();
      int status =
          res.get("status").isObject() ? res.at("/status/code").asInt() : res.get("code").asInt();
      JsonNode body = res.get("body");
      String responseBody =
          body == null || body.isNull()
              ? ""
              : body.isObject() ? body.path("string").asText("") : body.asText("");
      out.add(
          new Interaction(
              out.size(),
              req.get("method").asText(),
              url,
              req.path("body").asText(""),
              status,
              headers(res.get("headers")),
              responseBody));
    }
    return out;
  }

  private static List<Interaction> fromGo(JsonNode root) {
    List<Interaction> out = new ArrayList<>();
    for (JsonNode e : root.get("Entries")) {
      JsonNode requestBody = e.get("RequestBody");
      JsonNode responseBody = e.get("ResponseBody");
      out.add(
          new Interaction(
              out.size(),
              e.get("RequestMethod").asText(),
              e.get("RequestUri").asText(),
              requestBody == null || requestBody.isNull()
                  ? ""
                  : requestBody.isTextual() ? requestBody.asText() : requestBody.toString(),
              e.get("StatusCode").asInt(),
              headers(e.get("ResponseHeaders")),
              responseBody == null || responseBody.isNull()
                  ? ""
                  : responseBody.isTextual() ? responseBody.asText() : responseBody.toString()));
    }
    return out;
  }

  private static Map<String, String> headers(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    if (node != null) {
      node.fields()
          .forEachRemaining(
              f -> {
                JsonNode v = f.getValue();
                out.put(
                    f.getKey().toLowerCase(Locale.ROOT),
                    v.isArray() ? v.get(0).asText() : v.asText());
              });
    }
    return out;
  }

  private Recordings() {}
}
