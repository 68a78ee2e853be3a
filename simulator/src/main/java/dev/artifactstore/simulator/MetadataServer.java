package dev.artifactstore.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;

/** {@code /metadata/endpoints}: how the Azure CLI learns a cloud from its ARM endpoint alone. */
final class MetadataServer implements HttpHandler {
  private volatile String baseUrl;

  void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ObjectNode body = Json.object();
    body.put("galleryEndpoint", baseUrl);
    body.put("graphEndpoint", baseUrl + "graph/");
    body.put("portalEndpoint", baseUrl + "portal/");
    ObjectNode authentication = body.putObject("authentication");
    authentication.put("loginEndpoint", baseUrl + "adfs");
    authentication.putArray("audiences").add(baseUrl);
    exchange.getResponseHeaders().put(new HttpString("Content-Type"), "application/json");
    exchange.getResponseSender().send(Json.MAPPER.writeValueAsString(body), StandardCharsets.UTF_8);
  }
}
