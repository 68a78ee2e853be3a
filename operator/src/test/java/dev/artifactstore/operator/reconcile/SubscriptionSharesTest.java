package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionSharesTest {
  private final MovingClock clock = new MovingClock();
  private final SubscriptionShares shares = new SubscriptionShares(10, clock);
  private final List<ResourceID> woken = new ArrayList<>();

  {
    shares.wakeWith(woken::add);
  }

  private static ResourceID store(String name) {
    return new ResourceID(name, "team");
  }

  @Test
  void aSubscriptionAloneHasEveryThreadButOneWhichAnotherGetsAtOnce() {
    for (int i = 0; i < 9; i++) {
      assertTrue(shares.enter("slow", store("s" + i)), "run " + i);
    }
    assertFalse(shares.enter("slow", store("s9")), "one thread is left");
    assertTrue(shares.enter("fast", store("f0")), "for another subscription");
  }

  @Test
  void whileTwoSubscriptionsAreAtWorkASlowOneHoldsHalfTheThreadsAndItsNextStoreWaits() {
    assertTrue(shares.enter("fast", store("f0")));
    shares.leave("fast");
    for (int i = 0; i < 5; i++) {
      assertTrue(shares.enter("slow", store("s" + i)), "run " + i);
    }
    assertFalse(shares.enter("slow", store("s5")), "the sixth waits");
    assertTrue(shares.enter("fast", store("f1")), "the other subscription still has its share");
    assertTrue(woken.isEmpty());

    shares.leave("slow");
    assertEquals(List.of(store("s5")), woken, "the waiting store goes when a slow run ends");
    assertTrue(shares.enter("slow", store("s5")));
  }

  @Test
  void aSubscriptionIdleForAMinuteNoLongerCounts() {
    assertTrue(shares.enter("fast", store("f0")));
    shares.leave("fast");
    clock.advance(SubscriptionShares.ACTIVE.plus(Duration.ofSeconds(1)));
    for (int i = 0; i < 9; i++) {
      assertTrue(shares.enter("slow", store("s" + i)), "run " + i);
    }
  }

  @Test
  void aStoreGoneNoLongerWaitsAndAStoreWithoutSubscriptionIsNotCounted() {
    assertTrue(shares.enter("fast", store("f0")));
    for (int i = 0; i < 5; i++) {
      assertTrue(shares.enter("slow", store("s" + i)));
    }
    assertFalse(shares.enter("slow", store("gone")));
    shares.forget("slow", store("gone"));
    shares.leave("slow");
    assertTrue(woken.isEmpty(), "nobody left to wake");
    assertTrue(shares.enter("", store("invalid")));
  }
}
