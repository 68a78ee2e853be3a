package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One ARM request as handlers see it: the method, the decoded path, the route's variables, the
 * query, the JSON body, the absolute base URL (poll URLs must be absolute) and the client (the
 * principal whose token came with it).
 */
public record ArmRequest(
    String method,
    String path,
    Map<String, String> vars,
    Map<String, String> query,
    Map<String, String> headers,
    JsonNode body,
    String baseUrl,
    String client) {

  public String var(String name) {
    return vars.get(name);
  }

  public String apiVersion() {
    return query.get("api-version");
  }

  /** The header value, looked up case-insensitively. */
  public String header(String name) {
    for (var e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  public ObjectNode bodyObject() {
    if (body instanceof ObjectNode object) {
      return object;
    }
    throw ArmException.badRequest(
        "InvalidRequestContent", "The request content is not a JSON object.");
  }

  public ArmRequest withVars(Map<String, String> newVars) {
    return new ArmRequest(method, path, newVars, query, headers, body, baseUrl, client);
  }
}
