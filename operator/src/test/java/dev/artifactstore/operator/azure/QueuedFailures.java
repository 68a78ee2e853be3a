package dev.artifactstore.operator.azure;

import java.time.Duration;

/** Failures as the operator's own ARM budget raises them, for tests outside this package. */
public final class QueuedFailures {
  private QueuedFailures() {}

  /** A write to {@code path} held back until its ticket falls due. */
  public static AzureFailure write(String path, Duration wait) {
    return new AzureFailure(
        AzureFailure.Kind.THROTTLED, 429, ArmBudget.QUEUED, "write budget committed", wait, path);
  }

  /** A read held back until its ticket falls due. */
  public static AzureFailure read(Duration wait) {
    return new AzureFailure(
        AzureFailure.Kind.THROTTLED, 429, ArmBudget.QUEUED, "read budget committed", wait, null);
  }
}
