package dev.artifactstore.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The simulator's own API under {@code /_simulator/}: the journal, and fault injection for tools
 * that do not embed the simulator.
 *
 * <ul>
 *   <li>GET journal: every request answered, and counts by kind
 *   <li>GET faults: faults injected so far, by kind
 *   <li>POST faults/requests {count, method, pathContains, status, code, message}
 *   <li>POST faults/operations {count, method, pathContains, code, message}
 *   <li>POST faults/connections {count, method, pathContains}
 *   <li>POST faults/outage {region, down}
 *   <li>POST faults/latency {multiplier}
 *   <li>POST faults/permissions {client ("*" for all), action, withheld}
 *   <li>POST faults/pending-after-replica {pending}
 *   <li>POST faults/clear
 * </ul>
 */
final class AdminServer implements HttpHandler {
  private final Simulator simulator;

  AdminServer(Simulator simulator) {
    this.simulator = simulator;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRelativePath();
    String method = exchange.getRequestMethod().toString();
    byte[] bytes = exchange.getInputStream().readAllBytes();
    JsonNode body = bytes.length == 0 ? Json.object() : Json.MAPPER.readTree(bytes);
    Faults faults = simulator.faults();
    Faults.Match match = new Faults.Match(text(body, "method"), text(body, "pathContains"));
    int count = body.path("count").asInt(1);
    ObjectNode answer = Json.object();
    switch (method + " " + path) {
      case "GET /journal" -> {
        var entries = answer.putArray("entries");
        for (var e : simulator.journal().entries()) {
          ObjectNode entry = entries.addObject();
          entry.put("sequence", e.sequence());
          entry.put("time", e.time().toString());
          entry.put("method", e.method());
          entry.put("path", e.path());
          entry.put("apiVersion", e.apiVersion());
          entry.put("status", e.status());
          entry.put("resourceType", e.resourceType());
          entry.put("subscription", e.subscription());
          entry.put("micros", e.micros());
          entry.put("errorCode", e.errorCode());
          entry.put("client", e.client());
        }
        answer.set("counts", Json.MAPPER.valueToTree(simulator.journal().countsByKind()));
      }
      case "GET /resources" ->
          answer.set("resources", simulator.withState(state -> state.snapshot().get("resources")));
      case "POST /by-hand" -> {
        ArmResponse done =
            simulator.seed(
                "by-hand",
                body.path("method").asText(),
                body.path("path").asText(),
                body.get("body"));
        answer.put("status", done.status());
      }
      case "POST /drift/endpoint-region" ->
          answer.put(
              "changed",
              simulator.dropEndpointRegion(
                  body.path("endpoint").asText(), body.path("region").asText()));
      case "GET /faults" -> answer.set("injected", Json.MAPPER.valueToTree(faults.injected()));
      case "POST /faults/requests" ->
          faults.failNextRequests(
              count,
              match,
              new Faults.Failure(
                  body.path("status").asInt(500),
                  body.path("code").asText("InternalServerError"),
                  body.path("message").asText("Injected failure"),
                  body.path("retryAfter").asLong(1)));
      case "POST /faults/operations" ->
          faults.failNextOperations(
              count,
              match,
              body.path("code").asText("InternalServerError"),
              body.path("message").asText("Injected operation failure"));
      case "POST /faults/connections" -> faults.dropNextConnections(count, match);
      case "POST /faults/outage" ->
          simulator.setRegionDown(body.path("region").asText(), body.path("down").asBoolean(true));
      case "POST /faults/latency" ->
          faults.setLatencyMultiplier(body.path("multiplier").asDouble(1));
      case "POST /faults/request-latency" ->
          faults.setRequestLatency(
              body.path("subscription").asText(), Duration.ofMillis(body.path("millis").asLong(0)));
      case "POST /faults/permissions" ->
          faults.withhold(
              body.path("client").asText("*"),
              body.path("action").asText(),
              body.path("withheld").asBoolean(true));
      case "POST /faults/pending-after-replica" ->
          faults.setPendingAfterReplica(body.path("pending").asBoolean(true));
      case "POST /faults/clear" -> faults.clear();
      default -> {
        exchange.setStatusCode(404);
        answer.put("error", "unknown simulator endpoint " + method + " " + path);
      }
    }
    exchange.getResponseHeaders().put(new HttpString("Content-Type"), "application/json");
    exchange
        .getResponseSender()
        .send(Json.MAPPER.writeValueAsString(answer), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
