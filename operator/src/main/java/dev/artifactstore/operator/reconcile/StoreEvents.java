package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events and one log line per step transition: Normal for progress, Warning for failures
 * and stalls. Emitted only when the step or its outcome changes, never per poll.
 */
public final class StoreEvents {
  private static final Logger LOG = LoggerFactory.getLogger(StoreEvents.class);
  private final KubernetesClient client;
  private final Clock clock;

  public StoreEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void transition(
      ArtifactStore store, ArtifactStoreStatus before, ArtifactStoreStatus after, Outcome outcome) {
    Condition was =
        Conditions.find(before == null ? null : before.getConditions(), Conditions.READY);
    Condition now = Conditions.find(after.getConditions(), Conditions.READY);
    boolean changed =
        was == null
            || !Objects.equals(was.getStatus(), now.getStatus())
            || !Objects.equals(was.getReason(), now.getReason())
            || !Objects.equals(was.getObservedGeneration(), now.getObservedGeneration());
    if (!changed) {
      return;
    }
    String type =
        outcome.kind() == Outcome.Kind.STALLED || outcome.kind() == Outcome.Kind.FAILED
            ? "Warning"
            : "Normal";
    String name = store.getMetadata().getNamespace() + "/" + store.getMetadata().getName();
    if (AwaitArmBudget.QUEUED_FOR_BUDGET.equals(outcome.reason())) {
      // Routine at scale: the step it waits for is told when it happens.
      LOG.debug("{} {}: {}", name, outcome.reason(), outcome.message());
      return;
    }
    if (type.equals("Warning")) {
      LOG.warn("{} {}: {}", name, outcome.reason(), outcome.message());
    } else {
      LOG.info("{} {}: {}", name, outcome.reason(), outcome.message());
    }
    emit(store, type, outcome.reason(), outcome.message());
  }

  void emit(ArtifactStore store, String type, String reason, String message) {
    String timestamp = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(store.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(store.getMetadata().getName() + ".")
                  .withNamespace(store.getMetadata().getNamespace())
                  .endMetadata()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withNewInvolvedObject()
                  .withApiVersion(store.getApiVersion())
                  .withKind(store.getKind())
                  .withName(store.getMetadata().getName())
                  .withNamespace(store.getMetadata().getNamespace())
                  .withUid(store.getMetadata().getUid())
                  .endInvolvedObject()
                  .withFirstTimestamp(timestamp)
                  .withLastTimestamp(timestamp)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("artifactstore-operator")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      // Events are best effort; the status already tells the truth.
      LOG.debug(
          "could not record event {} for {}: {}",
          reason,
          store.getMetadata().getName(),
          e.getMessage());
    }
  }
}
