package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwaitArmBudgetTest {
  private final MovingClock clock = new MovingClock();
  private final SubscriptionGate gate = new SubscriptionGate(clock);

  private StepResult run() {
    return new AwaitArmBudget(gate)
        .run(StepFixtures.context(StepFixtures.geoStore(), new FakeAzure()));
  }

  @Test
  void aSubscriptionNotThrottledGoesOn() {
    assertInstanceOf(StepResult.Done.class, run());
  }

  @Test
  void aThrottledSubscriptionWaitsForWhatIsLeftOfItsPause() {
    gate.pause(FakeAzure.SUBSCRIPTION, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(10));

    var waiting = assertInstanceOf(StepResult.Progressing.class, run());

    assertEquals(AwaitArmBudget.WAITING_FOR_BUDGET, waiting.reason());
    assertEquals(Duration.ofSeconds(20), waiting.after());
    assertTrue(waiting.message().contains("waits 20.0 s"), waiting.message());
  }

  @Test
  void aPauseThatHasPassedHoldsNothing() {
    gate.pause(FakeAzure.SUBSCRIPTION, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(30));

    assertInstanceOf(StepResult.Done.class, run());
  }

  @Test
  void anotherSubscriptionsPauseDoesNotHoldThisStore() {
    gate.pause("00000000-0000-0000-0000-000000000009", Duration.ofSeconds(30));

    assertInstanceOf(StepResult.Done.class, run());
  }
}
