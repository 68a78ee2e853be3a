package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.faults.Faults;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** What every resource provider shares: the state, operations, clock, faults and id source. */
public final class ArmContext {
  private final ResourceStore store;
  private final Operations operations;
  private final Clock clock;
  private final Faults faults;
  private final Supplier<String> ids;
  private final Set<String> subscriptions;

  public ArmContext(
      ResourceStore store,
      Operations operations,
      Clock clock,
      Faults faults,
      Supplier<String> ids,
      Set<String> subscriptions) {
    this.store = store;
    this.operations = operations;
    this.clock = clock;
    this.faults = faults;
    this.ids = ids;
    this.subscriptions = subscriptions;
  }

  public ResourceStore store() {
    return store;
  }

  public Operations operations() {
    return operations;
  }

  public Faults faults() {
    return faults;
  }

  public String newId() {
    return ids.get();
  }

  public String now() {
    return clock.instant().toString();
  }

  public Set<String> subscriptions() {
    return subscriptions;
  }

  public static String normaliseRegion(String location) {
    return location == null ? null : location.replace(" ", "").toLowerCase(Locale.ROOT);
  }

  public void requireSubscription(String subscription) {
    if (!subscriptions.contains(subscription.toLowerCase(Locale.ROOT))) {
      throw new ArmException(
          404,
          "SubscriptionNotFound",
          "The subscription '" + subscription + "' could not be found.");
    }
  }

  /** The resource group document; 404 ResourceGroupNotFound when it does not exist. */
  public ObjectNode requireResourceGroup(String subscription, String resourceGroup) {
    requireSubscription(subscription);
    ObjectNode group =
        store.get("/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup);
    if (group == null) {
      throw ArmException.resourceGroupNotFound(resourceGroup);
    }
    return group;
  }

  /** 503 when the region is in a simulated outage. */
  public void requireRegionUp(String region) {
    if (faults.isRegionDown(normaliseRegion(region))) {
      faults.count("region-outage");
      throw new ArmException(
              503,
              "ServiceUnavailable",
              "The service in region '" + normaliseRegion(region) + "' is temporarily unavailable.")
          .header("Retry-After", "5");
    }
  }

  /** Starts an operation, failing it when due if a fault rule says so. */
  public ObjectNode startOperation(
      ArmRequest request, String type, String action, String resourceId, String region) {
    ObjectNode op = operations.start(type, action, resourceId, normaliseRegion(region));
    Faults.Failure failure = faults.operationFailure(request.method(), request.path());
    if (failure != null) {
      operations.failWhenDue(op, failure.code(), failure.message());
    }
    if (faults.randomOperationFailure()) {
      operations.failWhenDue(
          op, "InternalServerError", "The operation failed (injected at random).");
    }
    return op;
  }

  /** 201/200 with Azure-AsyncOperation and Retry-After, as ARM answers a long-running PUT. */
  public ArmResponse accepted(
      ArmRequest request, int status, ObjectNode body, ObjectNode op, String statusUrl) {
    return ArmResponse.of(status, body)
        .header("Azure-AsyncOperation", absolute(request, statusUrl))
        .header("Retry-After", Long.toString(operations.retryAfterSeconds(op)));
  }

  /** 202 with Location and Retry-After, as ARM answers a long-running DELETE. */
  public ArmResponse acceptedDelete(ArmRequest request, ObjectNode op, String resultUrl) {
    return ArmResponse.empty(202)
        .header("Location", absolute(request, resultUrl))
        .header("Retry-After", Long.toString(operations.retryAfterSeconds(op)));
  }

  public static String absolute(ArmRequest request, String pathAndQuery) {
    String base = request.baseUrl();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
        + pathAndQuery
        + (pathAndQuery.contains("?") ? "&" : "?")
        + "api-version="
        + request.apiVersion();
  }

  /** A new ARM resource document with id, name, type and location. */
  public static ObjectNode resource(String id, String name, String type, String location) {
    ObjectNode doc = Json.object();
    doc.put("id", id);
    doc.put("name", name);
    doc.put("type", type);
    if (location != null) {
      doc.put("location", location);
    }
    return doc;
  }

  public static ObjectNode list(Iterable<? extends com.fasterxml.jackson.databind.JsonNode> items) {
    ObjectNode page = Json.object();
    var value = page.putArray("value");
    items.forEach(value::add);
    return page;
  }
}
