package dev.artifactstore.operator.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmBudgetTest {
  static final ArmBudget.Limit WRITES = new ArmBudget.Limit(200, 10);

  @Test
  void theBurstGoesAtOnceLessAMarginAndThenTicketsComeAtTheRefillRate() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(WRITES, 0);
    int immediate = 0;
    while (bucket.admit("PUT /r" + immediate, 0).isZero()) {
      immediate++;
    }
    assertEquals(196, immediate, "200 less a margin of 4");
    // The refused request got a ticket for the next token, 100 ms away; the next one queues after.
    assertEquals(Duration.ofMillis(100), bucket.admit("PUT /r196", 0));
    assertEquals(Duration.ofMillis(200), bucket.admit("PUT /late", 0));
  }

  @Test
  void aTicketLetsItsRequestThroughWhenDueAndNotBefore() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 98; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0).isZero());
    }
    assertEquals(Duration.ofMillis(1000), bucket.admit("PUT /b", 0));
    assertEquals(Duration.ofMillis(500), bucket.admit("PUT /b", 500), "asked again too early");
    assertTrue(bucket.admit("PUT /b", 1000).isZero(), "its ticket is due");
    assertEquals(Duration.ofMillis(1000), bucket.admit("PUT /c", 1000), "the token went to b");
  }

  @Test
  void firstComeFirstServedSoABusyStoreCannotStarveTheOthers() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(50, 10), 0);
    long now = 0;
    while (bucket.admit("busy-" + now, now).isZero()) {
      now += 1;
    }
    // The quiet store asks once and gets a ticket; the busy one keeps asking for new things.
    Duration quietWait = bucket.admit("GET /quiet", now);
    List<Long> busyDue = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      busyDue.add(now + bucket.admit("GET /busy/" + i, now).toMillis());
    }
    long quietDue = now + quietWait.toMillis();
    assertTrue(busyDue.stream().allMatch(d -> d > quietDue), "quiet first: " + busyDue);
    assertTrue(bucket.admit("GET /quiet", quietDue).isZero());
  }

  @Test
  void overAnyWindowNoMoreGoesOutThanArmWouldAllow() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(WRITES, 0);
    List<Long> sent = new ArrayList<>();
    Map<String, Long> comeBack = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      comeBack.put("PUT /s" + i, 0L);
    }
    for (long t = 0; t <= 120_000 && !comeBack.isEmpty(); t += 10) {
      for (var entry : List.copyOf(comeBack.entrySet())) {
        if (entry.getValue() <= t) {
          Duration wait = bucket.admit(entry.getKey(), t);
          if (wait.isZero()) {
            sent.add(t);
            comeBack.remove(entry.getKey());
          } else {
            comeBack.put(entry.getKey(), t + wait.toMillis());
          }
        }
      }
    }
    assertTrue(comeBack.isEmpty(), "every request went out: " + comeBack.size() + " left");
    // ARM's bucket: at any time t, at most 200 + 10 * t requests can have been accepted.
    for (int i = 0; i < sent.size(); i++) {
      assertTrue(i + 1 <= 200 + sent.get(i) / 100.0, "request " + i + " at " + sent.get(i));
    }
    long last = sent.get(sent.size() - 1);
    assertTrue(last <= 80_500, "800 queued writes at 10 per second take 80 s: " + last);
  }

  static final String REGISTRY =
      "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/";

  @Test
  void writesDecidedWithoutATurnRankAboveWritesThatTakeOneBeforeReading() {
    assertEquals(0, ArmBudget.rank(REGISTRY + "r1"));
    String endpoint =
        "/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/privateEndpoints/r1-pe";
    assertEquals(1, ArmBudget.rank(endpoint));
    assertEquals(2, ArmBudget.rank(REGISTRY + "r1/replications/westus"));
    assertEquals(3, ArmBudget.rank(endpoint + "/privateDnsZoneGroups/default"));
    assertEquals(
        4,
        ArmBudget.rank(
            "/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/privateDnsZones/"
                + "privatelink.azurecr.io/A/r1"));
  }

  @Test
  void aLaterStepOfABuildGoesBeforeQueuedFirstWritesWhichKeepTheirOrder() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 98; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0, 0).isZero());
    }
    assertEquals(Duration.ofMillis(1000), bucket.admit("PUT /new1", 0, 0));
    assertEquals(Duration.ofMillis(2000), bucket.admit("PUT /new2", 0, 0));
    // A store further along asks later and still goes first.
    assertEquals(Duration.ofMillis(990), bucket.admit("PUT /a0/replications/x", 1, 10));
    assertEquals(
        Duration.ofMillis(1000), bucket.admit("PUT /new1", 0, 1000), "pushed back one place");
    assertTrue(bucket.admit("PUT /a0/replications/x", 1, 1010).isZero());
    assertTrue(bucket.admit("PUT /new1", 0, 2010).isZero(), "then the first write in its order");
    assertTrue(bucket.admit("PUT /new2", 0, 3010).isZero());
  }

  @Test
  void aStoreThatDoesNotComeBackHoldsNobodyUp() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 98; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0).isZero());
    }
    assertEquals(Duration.ofMillis(1000), bucket.admit("PUT /gone", 0));
    assertEquals(Duration.ofMillis(2000), bucket.admit("PUT /b", 0));
    // /gone never returns: /b goes at its own time, when there are tokens for both places.
    assertTrue(bucket.admit("PUT /b", 2000).isZero());
    assertEquals(1, bucket.queued(), "the ticket of /gone waits until it is dropped");
  }

  @Test
  void ticketsNeverClaimedCostATokenEachAndHoldUpNothingAfterThat() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(10, 1), 0);
    int immediate = 0;
    while (bucket.admit("GET /r" + immediate, 0).isZero()) {
      immediate++;
    }
    // 50 more reads get tickets whose stores come back asking for something else.
    for (int i = 0; i < 50; i++) {
      bucket.admit("GET /abandoned" + i, 0);
    }
    // Once the refill has covered their tokens, a new read goes at once: more abandoned tickets
    // than the bucket holds do not block it.
    assertTrue(bucket.admit("GET /fresh", 52_000).isZero());
    assertEquals(51, bucket.queued(), "the abandoned tickets wait until they are dropped");
    assertTrue(bucket.admit("GET /later", 400_000).isZero());
    assertEquals(0, bucket.queued(), "dropped five minutes after they fell due");
  }

  /**
   * 1000 geo+endpoint stores, each write asked for 10 s after the one before went out (Azure
   * finishing it): a replica or zone group, decided without a turn taken first, never waits for its
   * turn as long as a store trusts a queued write unread (30 s), however many registries the burst
   * started, because endpoints and registries, which read only once their turn has come, wait
   * instead.
   */
  @Test
  void writesDecidedWithoutATurnWaitLessThanAQueuedWriteIsTrusted() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(WRITES, 0);
    String endpoint = "/subscriptions/s/resourceGroups/n/providers/Microsoft.Network/";
    String[] steps = {"", "/replications/x", "privateEndpoints/p", "/privateDnsZoneGroups/g"};
    int[] next = new int[1000];
    long[] asked = new long[1000];
    long[] comeBack = new long[1000];
    long longest = 0;
    int done = 0;
    for (long t = 0; t <= 600_000 && done < 1000; t += 10) {
      for (int s = 0; s < 1000; s++) {
        if (next[s] == 4 || comeBack[s] > t) {
          continue;
        }
        String path =
            switch (next[s]) {
              case 0, 1 -> REGISTRY + "r" + s + steps[next[s]];
              case 2 -> endpoint + steps[2] + s;
              default -> endpoint + steps[2] + s + steps[3];
            };
        Duration wait = bucket.admit("PUT " + path, ArmBudget.rank(path), t);
        if (!wait.isZero()) {
          comeBack[s] = t + wait.toMillis();
          continue;
        }
        if (next[s] == 1 || next[s] == 3) {
          longest = Math.max(longest, t - asked[s]);
        }
        next[s]++;
        asked[s] = t + 10_000;
        comeBack[s] = asked[s];
        done += next[s] == 4 ? 1 : 0;
      }
    }
    assertEquals(1000, done, "every store finished");
    assertTrue(longest < 30_000, "a replica or zone group waited " + longest + " ms");
  }

  /**
   * 1000 stores of 4 writes each, every store asking for its next write as soon as the one before
   * went out: the writes go at ARM's rate as with first come first served, and the stores finish
   * one after the other instead of all at the end.
   */
  @Test
  void storesUnderWayAreFinishedFirstAtTheSameRate() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(WRITES, 0);
    String[] steps = {"", "/replications/x", "/privateEndpoints/p", "/privateDnsZoneGroups/g"};
    int[] next = new int[1000];
    long[] comeBack = new long[1000];
    long[] finished = new long[1000];
    List<Long> sent = new ArrayList<>();
    int done = 0;
    for (long t = 0; t <= 400_000 && done < 1000; t += 10) {
      for (int s = 0; s < 1000; s++) {
        while (next[s] < 4 && comeBack[s] <= t) {
          String path = REGISTRY + "r" + s + steps[next[s]];
          Duration wait = bucket.admit("PUT " + path, ArmBudget.rank(path), t);
          if (!wait.isZero()) {
            comeBack[s] = t + wait.toMillis();
            break;
          }
          sent.add(t);
          if (++next[s] == 4) {
            finished[s] = t;
            done++;
          }
        }
      }
    }
    assertEquals(1000, done, "every store finished");
    for (int i = 0; i < sent.size(); i++) {
      assertTrue(i + 1 <= 200 + sent.get(i) / 100.0, "write " + i + " at " + sent.get(i));
    }
    long[] sorted = finished.clone();
    Arrays.sort(sorted);
    long last = sorted[999];
    long median = sorted[499];
    assertTrue(last <= 381_000, "3804 queued writes at 10 per second take 380 s: " + last);
    assertTrue(
        median < last * 0.6, "half the stores finished by " + median + " ms of " + last + " ms");
  }

  @Test
  void aTurnTakenBeforeTheReadIsTheWritesOwnAndCostsOneToken() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 97; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0).isZero());
    }
    // One token left: the turn is taken now and kept for the write, which then costs nothing more.
    assertTrue(bucket.reserve("write /r", 0, 0).isZero());
    assertTrue(bucket.reserve("write /r", 0, 10).isZero(), "asked again, the same turn");
    assertTrue(bucket.admit("write /r", 0, 20).isZero(), "the write goes on its turn");
    assertEquals(Duration.ofMillis(980), bucket.admit("PUT /b", 20), "no token was spent twice");
  }

  @Test
  void aTurnNotComeYetIsWaitedForWithoutSpendingAnother() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 98; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0).isZero());
    }
    assertEquals(Duration.ofMillis(1000), bucket.reserve("write /r", 0, 0));
    assertEquals(Duration.ofMillis(600), bucket.reserve("write /r", 0, 400));
    assertTrue(bucket.reserve("write /r", 0, 1000).isZero(), "its turn came; kept for the write");
    assertTrue(bucket.admit("write /r", 0, 1100).isZero());
    assertEquals(Duration.ofMillis(900), bucket.admit("PUT /c", 1100), "the next token, at 2 s");
  }

  @Test
  void aTurnGivenBackLetsTheNextRequestHaveItsToken() {
    ArmBudget.Bucket bucket = new ArmBudget.Bucket(new ArmBudget.Limit(100, 1), 0);
    for (int i = 0; i < 97; i++) {
      assertTrue(bucket.admit("PUT /a" + i, 0).isZero());
    }
    assertTrue(bucket.reserve("write /r", 0, 0).isZero());
    bucket.cancel("write /r", 0);
    assertTrue(bucket.admit("PUT /b", 0).isZero(), "the token given back");
    assertEquals(0, bucket.queued());
  }

  @Test
  void aWritesTurnIsTakenThroughThePolicyByResourceId() {
    long[] now = {0};
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(now[0]);
          }
        };
    ArmBudget budget =
        new ArmBudget(
            clock,
            new ArmBudget.Limit(250, 25),
            new ArmBudget.Limit(2, 1),
            new ArmBudget.Limit(200, 10));
    String id =
        "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r";
    assertTrue(budget.take(id).isZero(), "the first of a burst of 2 (less the margin)");
    assertTrue(budget.take(id.replace("/r", "/other")).toMillis() > 0, "the burst is spent");
    assertEquals(Map.of("s1|write", 2), budget.queued());
    budget.release(id.toUpperCase(java.util.Locale.ROOT));
    assertEquals(Map.of("s1|write", 1), budget.queued(), "released by its id, in any case");
    assertTrue(budget.take("/providers/Microsoft.Resources/x").isZero(), "no subscription");
  }
}
