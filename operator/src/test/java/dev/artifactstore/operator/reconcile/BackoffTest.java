package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  @Test
  void retriesThinOutWithHowLongSomethingHasBeenFailing() {
    assertEquals(Duration.ofSeconds(5), Backoff.retry(null, NOW));
    assertEquals(Duration.ofSeconds(5), Backoff.retry(NOW.minusSeconds(2), NOW));
    assertEquals(Duration.ofSeconds(5), Backoff.retry(NOW.minusSeconds(12), NOW));
    assertEquals(Duration.ofSeconds(40), Backoff.retry(NOW.minusSeconds(160), NOW));
    assertEquals(Duration.ofMinutes(5), Backoff.retry(NOW.minusSeconds(3600), NOW));
  }

  @Test
  void pollsFollowRetryAfterButNeverFasterThanASecond() {
    assertEquals(Duration.ofSeconds(10), Backoff.poll(Duration.ofSeconds(10)));
    assertEquals(Duration.ofSeconds(1), Backoff.poll(Duration.ZERO));
    assertEquals(Duration.ofSeconds(5), Backoff.poll(null));
  }
}
