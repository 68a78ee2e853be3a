package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * An Azure long-running operation the operator started and has not seen finish, or a write its ARM
 * budget queued. Kept in status so that a restarted operator resumes polling it instead of starting
 * it again.
 */
public class PendingOperation {
  @JsonPropertyDescription(
      "The step that started it, e.g. CreatingReplica; QueuedWrite when the operator's ARM budget"
          + " queued a write of resourceId.")
  private String step;

  @JsonPropertyDescription("ARM id of the resource it acts on.")
  private String resourceId;

  @JsonPropertyDescription("Azure's operation-status URL.")
  private String pollUrl;

  @JsonPropertyDescription("When it was started (RFC 3339).")
  private String startedAt;

  public PendingOperation() {}

  public PendingOperation(String step, String resourceId, String pollUrl, String startedAt) {
    this.step = step;
    this.resourceId = resourceId;
    this.pollUrl = pollUrl;
    this.startedAt = startedAt;
  }

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public String getResourceId() {
    return resourceId;
  }

  public void setResourceId(String resourceId) {
    this.resourceId = resourceId;
  }

  public String getPollUrl() {
    return pollUrl;
  }

  public void setPollUrl(String pollUrl) {
    this.pollUrl = pollUrl;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PendingOperation p
        && Objects.equals(step, p.step)
        && Objects.equals(resourceId, p.resourceId)
        && Objects.equals(pollUrl, p.pollUrl)
        && Objects.equals(startedAt, p.startedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, resourceId, pollUrl, startedAt);
  }
}
