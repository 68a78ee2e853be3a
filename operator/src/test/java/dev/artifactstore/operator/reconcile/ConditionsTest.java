package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.artifactstore.operator.api.ArtifactStoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");
  static final Conditions.Facts FACTS =
      new Conditions.Facts(
          Fact.isTrue("Succeeded", "primary ok"),
          Fact.isFalse("Provisioning", "replica coming"),
          Fact.unknown("NotObserved", "not yet"));

  static Map<String, Condition> byType(List<Condition> conditions) {
    return conditions.stream().collect(Collectors.toMap(Condition::getType, c -> c));
  }

  @ParameterizedTest(name = "{0}: Ready={1} Reconciling={2} Stalled={3}")
  @CsvSource({
    "READY,       True,  False, False, Ready,          Ready,            NotStalled",
    "PROGRESSING, False, True,  False, CreatingReplica, CreatingReplica, NotStalled",
    "FAILED,      False, True,  False, ReplicaProvisioningFailed, ReplicaProvisioningFailed, NotStalled",
    "STALLED,     False, False, True,  SubnetFull,     Stalled,          SubnetFull"
  })
  void outcomeDecidesReadyReconcilingAndStalled(
      Outcome.Kind kind,
      String ready,
      String reconciling,
      String stalled,
      String readyReason,
      String reconcilingReason,
      String stalledReason) {
    String reason = kind == Outcome.Kind.READY ? "Ready" : readyReason;
    Map<String, Condition> c =
        byType(
            Conditions.compute(3, FACTS, new Outcome(kind, reason, "what happens"), List.of(), T0));

    assertEquals(ready, c.get(Conditions.READY).getStatus());
    assertEquals(readyReason, c.get(Conditions.READY).getReason());
    assertEquals(reconciling, c.get(Conditions.RECONCILING).getStatus());
    assertEquals(reconcilingReason, c.get(Conditions.RECONCILING).getReason());
    assertEquals(stalled, c.get(Conditions.STALLED).getStatus());
    assertEquals(stalledReason, c.get(Conditions.STALLED).getReason());
  }

  @Test
  void factsBecomeTheirConditions() {
    Map<String, Condition> c =
        byType(
            Conditions.compute(
                3,
                FACTS,
                new Outcome(Outcome.Kind.PROGRESSING, "CreatingReplica", "m"),
                List.of(),
                T0));

    assertEquals("True", c.get(Conditions.PRIMARY_READY).getStatus());
    assertEquals("Succeeded", c.get(Conditions.PRIMARY_READY).getReason());
    assertEquals("False", c.get(Conditions.REPLICA_READY).getStatus());
    assertEquals("replica coming", c.get(Conditions.REPLICA_READY).getMessage());
    assertEquals("Unknown", c.get(Conditions.DNS_READY).getStatus());
    assertEquals(6, c.size());
  }

  @Test
  void everyConditionCarriesTheGeneration() {
    for (Condition c :
        Conditions.compute(
            7, FACTS, new Outcome(Outcome.Kind.READY, "Ready", "ok"), List.of(), T0)) {
      assertEquals(7L, c.getObservedGeneration(), c.getType());
    }
  }

  @Test
  void transitionTimeMovesOnlyWhenStatusChanges() {
    List<Condition> first =
        Conditions.compute(
            1, FACTS, new Outcome(Outcome.Kind.PROGRESSING, "CreatingPrimary", "a"), List.of(), T0);
    List<Condition> second =
        Conditions.compute(
            1, FACTS, new Outcome(Outcome.Kind.PROGRESSING, "CreatingReplica", "b"), first, T1);
    List<Condition> third =
        Conditions.compute(1, FACTS, new Outcome(Outcome.Kind.READY, "Ready", "c"), second, T1);

    assertEquals(
        T0.toString(),
        byType(second).get(Conditions.READY).getLastTransitionTime(),
        "False -> False keeps the time");
    assertEquals("CreatingReplica", byType(second).get(Conditions.READY).getReason());
    assertEquals(
        T1.toString(),
        byType(third).get(Conditions.READY).getLastTransitionTime(),
        "False -> True moves it");
    assertEquals(
        T0.toString(), byType(third).get(Conditions.PRIMARY_READY).getLastTransitionTime());
  }

  @Test
  void sameInputsGiveEqualConditionsSoNothingIsWritten() {
    List<Condition> first =
        Conditions.compute(2, FACTS, new Outcome(Outcome.Kind.READY, "Ready", "ok"), List.of(), T0);
    List<Condition> again =
        Conditions.compute(2, FACTS, new Outcome(Outcome.Kind.READY, "Ready", "ok"), first, T1);
    assertEquals(first, again);
  }

  @Test
  void falseSinceReadsTheTransitionTimeOfAFalseCondition() {
    var status = new ArtifactStoreStatus();
    status.setConditions(
        Conditions.compute(1, FACTS, new Outcome(Outcome.Kind.FAILED, "X", "m"), List.of(), T0));

    assertEquals(T0, Conditions.falseSince(status, Conditions.READY));
    assertNull(Conditions.falseSince(status, Conditions.PRIMARY_READY), "PrimaryReady is True");
    assertNull(Conditions.falseSince(null, Conditions.READY));
  }
}
