package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditions of a store, computed from what the chain observed and where it stopped: one pure
 * function, so every combination can be tested without Azure or Kubernetes. Follows the Kubernetes
 * API conventions and kstatus: {@code lastTransitionTime} moves only when a condition's status
 * changes, and every condition carries the generation it describes.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String PRIMARY_READY = "PrimaryReady";
  public static final String REPLICA_READY = "ReplicaReady";
  public static final String DNS_READY = "PrivateEndpointDnsReady";

  /** Set once a store is being deleted: True while deletion goes on, False while it is blocked. */
  public static final String DELETING = "Deleting";

  private Conditions() {}

  /** The facts the chain established about Azure. */
  public record Facts(Fact primary, Fact replica, Fact dns) {}

  public static List<Condition> compute(
      long generation, Facts facts, Outcome outcome, List<Condition> previous, Instant now) {
    List<Condition> out = new ArrayList<>();
    boolean ready = outcome.kind() == Outcome.Kind.READY;
    boolean progressing =
        outcome.kind() == Outcome.Kind.PROGRESSING || outcome.kind() == Outcome.Kind.FAILED;
    boolean stalled = outcome.kind() == Outcome.Kind.STALLED;
    boolean paused = outcome.kind() == Outcome.Kind.PAUSED;
    Condition readyBefore = find(previous, READY);

    if (paused && readyBefore != null) {
      // Nothing was observed: Ready stays what the last run found.
      out.add(readyBefore);
    } else {
      out.add(
          ready
              ? condition(READY, "True", "Ready", outcome.message(), generation, previous, now)
              : condition(
                  READY, "False", outcome.reason(), outcome.message(), generation, previous, now));
    }
    out.add(
        paused
            ? condition(
                RECONCILING,
                "False",
                outcome.reason(),
                outcome.message(),
                generation,
                previous,
                now)
            : progressing
                ? condition(
                    RECONCILING,
                    "True",
                    outcome.reason(),
                    outcome.message(),
                    generation,
                    previous,
                    now)
                : condition(
                    RECONCILING,
                    "False",
                    ready ? "Ready" : "Stalled",
                    ready
                        ? "Azure matches the spec; nothing to do."
                        : "No progress is possible until the stalled cause is fixed.",
                    generation,
                    previous,
                    now));
    out.add(
        stalled
            ? condition(
                STALLED, "True", outcome.reason(), outcome.message(), generation, previous, now)
            : condition(
                STALLED,
                "False",
                "NotStalled",
                "Progress does not need a human.",
                generation,
                previous,
                now));
    out.add(fact(PRIMARY_READY, facts.primary(), generation, previous, now));
    out.add(fact(REPLICA_READY, facts.replica(), generation, previous, now));
    out.add(fact(DNS_READY, facts.dns(), generation, previous, now));
    return out;
  }

  /** {@code previous} with the condition {@code type} set (replaced or added). */
  static List<Condition> with(
      List<Condition> previous, String type, Fact fact, long generation, Instant now) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : previous) {
      if (!type.equals(c.getType())) {
        out.add(c);
      }
    }
    out.add(fact(type, fact, generation, previous, now));
    return out;
  }

  private static Condition fact(
      String type, Fact fact, long generation, List<Condition> previous, Instant now) {
    return condition(type, fact.status(), fact.reason(), fact.message(), generation, previous, now);
  }

  private static Condition condition(
      String type,
      String status,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      Instant now) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message == null ? "" : message);
    c.setObservedGeneration(generation);
    Condition before = find(previous, type);
    c.setLastTransitionTime(
        before != null
                && status.equals(before.getStatus())
                && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString());
    return c;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Condition c : conditions) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** Since when the condition has been False, or null when it is not False. */
  static Instant falseSince(ArtifactStoreStatus status, String type) {
    Condition c = find(status == null ? null : status.getConditions(), type);
    if (c == null || !"False".equals(c.getStatus()) || c.getLastTransitionTime() == null) {
      return null;
    }
    try {
      return Instant.parse(c.getLastTransitionTime());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
