package dev.artifactstore.operator.reconcile;

/**
 * One observed fact that becomes a condition: PrimaryReady, ReplicaReady or
 * PrivateEndpointDnsReady.
 */
public record Fact(String status, String reason, String message) {
  public static Fact isTrue(String reason, String message) {
    return new Fact("True", reason, message);
  }

  public static Fact isFalse(String reason, String message) {
    return new Fact("False", reason, message);
  }

  public static Fact unknown(String reason, String message) {
    return new Fact("Unknown", reason, message);
  }

  /** Where a step stops: the fact it found, and what the chain does about it. */
  record Stop(Fact fact, StepResult result) {}
}
