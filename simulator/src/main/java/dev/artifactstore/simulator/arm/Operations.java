package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * ARM long-running operations. An operation is data (so it survives a restart from the state file):
 * the resource it acts on, what it does, when it is due, and whether it is to fail. It is completed
 * lazily, before any request is served, by the resource provider that started it.
 */
public final class Operations {
  /** What a resource provider does when one of its operations ends. */
  public interface Completion {
    void succeeded(ObjectNode operation);

    void failed(ObjectNode operation, String code, String message);
  }

  private final ResourceStore store;
  private final Clock clock;
  private final LatencyProfile profile;
  private final Supplier<String> ids;
  private final DoubleSupplier latencyMultiplier;
  private final Map<String, Completion> completions = new HashMap<>();
  // The operations still running, in the order they started: every request first ends those due,
  // and ended operations, which are kept, are not looked at again.
  private final Map<String, ObjectNode> running = new LinkedHashMap<>();

  public Operations(
      ResourceStore store,
      Clock clock,
      LatencyProfile profile,
      Supplier<String> ids,
      DoubleSupplier latencyMultiplier) {
    this.store = store;
    this.clock = clock;
    this.profile = profile;
    this.ids = ids;
    this.latencyMultiplier = latencyMultiplier;
    store
        .operations()
        .elements()
        .forEachRemaining(
            op -> {
              if ("InProgress".equals(op.path("status").asText())) {
                running.put(op.get("id").asText(), (ObjectNode) op);
              }
            });
  }

  public void register(String type, Completion completion) {
    completions.put(type, completion);
  }

  /**
   * Starts an operation of {@code type} ("registry", "replication", ...) with {@code action}
   * (create, update or delete) on {@code resourceId} located in {@code region}.
   */
  public ObjectNode start(String type, String action, String resourceId, String region) {
    Instant now = clock.instant();
    ObjectNode op = Json.object();
    op.put("id", ids.get());
    op.put("type", type);
    op.put("action", action);
    op.put("resourceId", resourceId);
    op.put("region", region);
    op.put("startTime", now.toString());
    Duration duration = profile.duration(type);
    op.put(
        "dueAt",
        now.plusMillis(Math.round(duration.toMillis() * latencyMultiplier.getAsDouble()))
            .toString());
    op.put("status", "InProgress");
    store.operations().set(op.get("id").asText(), op);
    running.put(op.get("id").asText(), op);
    store.operationChanged(op.get("id").asText());
    return op;
  }

  /** Makes the operation end Failed with this error when it is due. */
  public void failWhenDue(ObjectNode op, String code, String message) {
    op.put("failCode", code);
    op.put("failMessage", message);
    store.operationChanged(op.get("id").asText());
  }

  /** Makes the operation run until its resource is deleted (a replica stuck Creating). */
  public void neverEnd(ObjectNode op) {
    op.put("dueAt", Instant.parse("9999-01-01T00:00:00Z").toString());
    store.operationChanged(op.get("id").asText());
  }

  public ObjectNode find(String id) {
    return (ObjectNode) store.operations().get(id);
  }

  public Duration remaining(ObjectNode op) {
    Duration d = Duration.between(clock.instant(), Instant.parse(op.get("dueAt").asText()));
    return d.isNegative() ? Duration.ZERO : d;
  }

  public long retryAfterSeconds(ObjectNode op) {
    return profile.retryAfterSeconds(remaining(op));
  }

  public List<ObjectNode> inProgress() {
    return new ArrayList<>(running.values());
  }

  /** Completes every operation that is due, in the order they were started. */
  public void advance() {
    Instant now = clock.instant();
    List<ObjectNode> due = new ArrayList<>();
    for (ObjectNode op : inProgress()) {
      if (!Instant.parse(op.get("dueAt").asText()).isAfter(now)) {
        due.add(op);
      }
    }
    due.sort((a, b) -> a.get("startTime").asText().compareTo(b.get("startTime").asText()));
    for (ObjectNode op : due) {
      complete(op, now);
    }
  }

  /** Ends every running operation on {@code resourceId} now, as if it had been waited for. */
  public void endAllOn(String resourceId) {
    Instant now = clock.instant();
    for (ObjectNode op : inProgress()) {
      if (resourceId.equalsIgnoreCase(op.path("resourceId").asText())) {
        complete(op, now);
      }
    }
  }

  /** Ends an operation at once as Failed (region outages). */
  public void failNow(ObjectNode op, String code, String message) {
    op.put("failCode", code);
    op.put("failMessage", message);
    complete(op, clock.instant());
  }

  private void complete(ObjectNode op, Instant now) {
    Completion completion = completions.get(op.get("type").asText());
    running.remove(op.get("id").asText());
    op.put("endTime", now.toString());
    if (op.hasNonNull("failCode")) {
      op.put("status", "Failed");
      ObjectNode error = op.putObject("error");
      error.put("code", op.get("failCode").asText());
      error.put("message", op.get("failMessage").asText());
      if (completion != null) {
        completion.failed(op, op.get("failCode").asText(), op.get("failMessage").asText());
      }
    } else {
      op.put("status", "Succeeded");
      if (completion != null) {
        completion.succeeded(op);
      }
    }
    store.operationChanged(op.get("id").asText());
    // What a provider's completion changes is the operation's resource, unless it says otherwise.
    String resourceId = op.path("resourceId").asText();
    if (!resourceId.isEmpty() && store.get(resourceId) != null) {
      store.changed(resourceId);
    }
  }
}
