package dev.artifactstore.simulator.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An ADFS-style authority under /adfs: OpenID metadata and a client-credentials token endpoint.
 * ADFS, because MSAL contacts no public discovery host for it. Any client is accepted unless
 * clients are configured; a client assertion is accepted for any configured client id.
 */
public final class AuthorityServer implements HttpHandler {
  private final Tokens tokens;
  private final Map<String, String> clients;
  private volatile String baseUrl;

  public AuthorityServer(Tokens tokens, Map<String, String> clients) {
    this.tokens = tokens;
    this.clients = Map.copyOf(clients);
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String path = exchange.getRequestPath();
    if (path.endsWith("/.well-known/openid-configuration")) {
      ObjectNode config = Json.object();
      String authority = baseUrl + "adfs";
      config.put("issuer", authority);
      config.put("authorization_endpoint", authority + "/oauth2/authorize");
      config.put("token_endpoint", authority + "/oauth2/token");
      config.put("jwks_uri", authority + "/discovery/keys");
      config.putArray("response_types_supported").add("code").add("token");
      config.putArray("grant_types_supported").add("client_credentials");
      config
          .putArray("token_endpoint_auth_methods_supported")
          .add("client_secret_post")
          .add("private_key_jwt");
      reply(exchange, 200, config);
      return;
    }
    if (path.endsWith("/oauth2/token") && exchange.getRequestMethod().equalToString("POST")) {
      FormDataParser parser = FormParserFactory.builder().build().createParser(exchange);
      FormData form = parser == null ? new FormData(0) : parser.parseBlocking();
      String grant = value(form, "grant_type");
      String clientId = value(form, "client_id");
      String secret = value(form, "client_secret");
      String assertion = value(form, "client_assertion");
      if (!"client_credentials".equals(grant)) {
        reply(
            exchange,
            400,
            error("unsupported_grant_type", "Only client_credentials is supported."));
        return;
      }
      if (clientId == null || (secret == null && assertion == null)) {
        reply(
            exchange,
            400,
            error(
                "invalid_request",
                "client_id and a client_secret or client_assertion are required."));
        return;
      }
      if (!clients.isEmpty()
          && (!clients.containsKey(clientId)
              || (secret != null && !clients.get(clientId).equals(secret)))) {
        reply(
            exchange,
            401,
            error(
                "invalid_client",
                "MSIS9607: The client credentials of '" + clientId + "' are invalid."));
        return;
      }
      ObjectNode token = Json.object();
      token.put("access_token", tokens.issue(clientId));
      token.put("token_type", "Bearer");
      token.put("expires_in", Tokens.LIFETIME.toSeconds());
      token.put("ext_expires_in", Tokens.LIFETIME.toSeconds());
      reply(exchange, 200, token);
      return;
    }
    reply(exchange, 404, error("not_found", "No such endpoint: " + path));
  }

  private static String value(FormData form, String name) {
    FormData.FormValue value = form.getFirst(name);
    return value == null ? null : value.getValue();
  }

  private static ObjectNode error(String code, String description) {
    ObjectNode error = Json.object();
    error.put("error", code);
    error.put("error_description", description);
    return error;
  }

  private static void reply(HttpServerExchange exchange, int status, ObjectNode body)
      throws Exception {
    exchange.setStatusCode(status);
    exchange
        .getResponseHeaders()
        .put(new HttpString("Content-Type"), "application/json; charset=utf-8");
    exchange.getResponseSender().send(Json.MAPPER.writeValueAsString(body), StandardCharsets.UTF_8);
  }
}
