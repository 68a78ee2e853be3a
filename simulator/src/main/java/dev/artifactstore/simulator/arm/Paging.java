package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * ARM answers a long list in pages: {@code {"value": [first page], "nextLink": absolute URL}}, and
 * the client follows nextLink, paying one read per page. Record sets come 100 per page ({@code
 * $top} asks for fewer), as do most Azure lists.
 */
final class Paging {
  static final int DEFAULT_PAGE_SIZE = 100;
  private static final String SKIP = "$skiptoken";

  private Paging() {}

  /** The page of {@code response} that {@code request} asks for; other responses unchanged. */
  static ArmResponse page(ArmRequest request, ArmResponse response, int pageSize) {
    JsonNode body = response.body();
    if (!request.method().equals("GET")
        || response.status() != 200
        || body == null
        || !(body.get("value") instanceof ArrayNode items)
        || body.has("nextLink")) {
      return response;
    }
    int size = Math.max(1, Math.min(pageSize, top(request, pageSize)));
    int from = Math.max(0, parse(request.query().get(SKIP), 0));
    if (from == 0 && items.size() <= size) {
      return response;
    }
    ObjectNode page = Json.object();
    ArrayNode value = page.putArray("value");
    for (int i = from; i < Math.min(items.size(), from + size); i++) {
      value.add(items.get(i));
    }
    if (from + size < items.size()) {
      page.put("nextLink", nextLink(request, from + size));
    }
    ArmResponse paged = ArmResponse.of(200, page);
    response.headers().forEach(paged::header);
    return paged;
  }

  private static int top(ArmRequest request, int fallback) {
    return parse(request.query().get("$top"), fallback);
  }

  private static int parse(String text, int fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String nextLink(ArmRequest request, int skip) {
    StringBuilder url = new StringBuilder(request.path()).append('?');
    for (Map.Entry<String, String> e : request.query().entrySet()) {
      if (!e.getKey().equals(SKIP) && !e.getKey().equals("api-version")) {
        url.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
      }
    }
    url.append(SKIP).append('=').append(skip);
    return ArmContext.absolute(request, url.toString());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text == null ? "" : text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
