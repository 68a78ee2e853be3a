package dev.artifactstore.operator.azure;

import java.time.Duration;

/** What an operation-status poll said. */
public record OperationState(Status status, String code, String message, Duration retryAfter) {
  /** The code of a poll URL that was not on the ARM endpoint, and so was not requested. */
  public static final String FOREIGN_POLL_URL = "ForeignPollUrl";

  /** ARM operation states, with every non-terminal word (InProgress, Creating, ...) as RUNNING. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The poll URL is no longer known to Azure (expired, or the service restarted). */
    GONE
  }
}
