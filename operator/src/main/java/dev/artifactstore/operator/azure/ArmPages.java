package dev.artifactstore.operator.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of an ARM list, read through a client's pipeline (its credential, budget, metrics and
 * retries): the first page from the collection's path, the next ones from the nextLink ARM gave,
 * which is followed only to ARM's own host, since the token goes with every request.
 */
final class ArmPages {
  private ArmPages() {}

  static Page<JsonNode> get(
      HttpPipeline pipeline, String endpoint, String path, String apiVersion, String continuation) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    String url;
    if (continuation == null) {
      url = base + path + "?api-version=" + apiVersion;
    } else {
      if (!Lro.sameOrigin(continuation, endpoint)) {
        throw new AzureFailure(
            AzureFailure.Kind.REJECTED,
            502,
            "ForeignNextLink",
            "ARM's list named a next page on another host: " + continuation,
            null);
      }
      url =
          continuation.contains("api-version=")
              ? continuation
              : continuation
                  + (continuation.contains("?") ? "&" : "?")
                  + "api-version="
                  + apiVersion;
    }
    HttpResponse response;
    try {
      response = pipeline.send(new HttpRequest(HttpMethod.GET, url)).block();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
    JsonNode json = Lro.parse(response.getBodyAsString().block());
    if (response.getStatusCode() >= 400) {
      throw Lro.failure(
          response.getStatusCode(), json, Lro.retryAfter(response.getHeaderValue("Retry-After")));
    }
    List<JsonNode> items = new ArrayList<>();
    json.path("value").forEach(items::add);
    String next = json.path("nextLink").asText("");
    return new Page<>(items, next.isEmpty() ? null : next);
  }
}
