package dev.artifactstore.operator.reconcile;

/** Where the chain stopped for this generation, as conditions tell it. */
public record Outcome(Kind kind, String reason, String message) {
  /** The ways a reconcile ends. */
  public enum Kind {
    READY,
    PROGRESSING,
    STALLED,
    FAILED,
    PAUSED
  }

  static Outcome of(StepResult result, String readyMessage) {
    if (result instanceof StepResult.Progressing p) {
      return new Outcome(Kind.PROGRESSING, p.reason(), p.message());
    }
    if (result instanceof StepResult.Stalled s) {
      return new Outcome(Kind.STALLED, s.reason(), s.message());
    }
    if (result instanceof StepResult.Failed f) {
      return new Outcome(Kind.FAILED, f.reason(), f.message());
    }
    if (result instanceof StepResult.Paused p) {
      return new Outcome(Kind.PAUSED, HonourPause.PAUSED, p.message());
    }
    return new Outcome(Kind.READY, "Ready", readyMessage);
  }

  /** What a Ready store tells its user. */
  static String readyMessage(DesiredStore d) {
    StringBuilder text =
        new StringBuilder("Registry ")
            .append(d.loginServer())
            .append(" is ready in ")
            .append(d.region());
    if (d.geo()) {
      text.append(" with a replica in ").append(d.replicaRegion());
    }
    if (!d.endpoints().isEmpty()) {
      text.append("; private DNS is complete for ")
          .append(d.endpoints().size())
          .append(" endpoint(s)");
    }
    return text.append(". Pushes go to ").append(d.region()).append('.').toString();
  }
}
