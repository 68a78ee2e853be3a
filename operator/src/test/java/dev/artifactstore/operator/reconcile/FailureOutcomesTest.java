package dev.artifactstore.operator.reconcile;

import static dev.artifactstore.operator.reconcile.StepFixtures.NOW;
import static dev.artifactstore.operator.reconcile.StepFixtures.REGISTRY_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.QueuedFailures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureOutcomesTest {
  private static final String SUBSCRIPTION = FakeAzure.SUBSCRIPTION;

  private final SubscriptionGate gate = new SubscriptionGate(StepFixtures.clock());
  private final FailureOutcomes outcomes = new FailureOutcomes(gate);
  private final ArtifactStore store = StepFixtures.geoStore();

  private StoreContext ctx() {
    return StepFixtures.context(store, new FakeAzure());
  }

  private StepResult of(AzureFailure failure) {
    return outcomes.of(ctx(), failure);
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "THROTTLED, Progressing, WaitingForArmBudget",
    "AUTHENTICATION, Stalled, AuthenticationFailed",
    "AUTHORIZATION, Stalled, AuthorizationFailed",
    "POLICY, Stalled, PolicyDenied",
    "QUOTA, Stalled, QuotaExceeded",
    "CONFLICT, Progressing, WaitingForAzure",
    "REJECTED, Failed, AzureRejected",
    "NOT_FOUND, Failed, AzureRejected",
    "TRANSIENT, Failed, AzureUnavailable"
  })
  void eachKindOfFailureHasItsOutcome(AzureFailure.Kind kind, String type, String reason) {
    StepResult result = of(FakeAzure.failure(kind, 400, "SomeCode"));

    assertEquals(type, result.getClass().getSimpleName());
    String actual =
        result instanceof StepResult.Progressing p
            ? p.reason()
            : result instanceof StepResult.Stalled s
                ? s.reason()
                : ((StepResult.Failed) result).reason();
    assertEquals(reason, actual);
  }

  @Test
  void aDeniedPermissionIsQuotedToTheUser() {
    var stalled =
        assertInstanceOf(
            StepResult.Stalled.class,
            of(
                new AzureFailure(
                    AzureFailure.Kind.AUTHORIZATION,
                    403,
                    "AuthorizationFailed",
                    "no write on registries",
                    null)));

    assertTrue(stalled.message().startsWith("AuthorizationFailed: no write on registries"));
  }

  @Test
  void throttlingPausesTheWholeSubscriptionForRetryAfter() {
    var waiting =
        assertInstanceOf(
            StepResult.Progressing.class,
            of(
                new AzureFailure(
                    AzureFailure.Kind.THROTTLED, 429, "", "slow down", Duration.ofSeconds(30))));

    assertEquals(Duration.ofSeconds(30), waiting.after());
    assertEquals(Duration.ofSeconds(30), gate.remaining(SUBSCRIPTION));
    assertTrue(waiting.message().contains("30.0 s"), waiting.message());
  }

  @Test
  void aHugeRetryAfterPausesTheSubscriptionForFiveMinutesAtMostAndSaysSo() {
    var waiting =
        assertInstanceOf(
            StepResult.Progressing.class,
            of(
                new AzureFailure(
                    AzureFailure.Kind.THROTTLED, 429, "", "slow down", Duration.ofDays(1))));

    assertEquals(Duration.ofMinutes(5), waiting.after());
    assertEquals(Duration.ofMinutes(5), gate.remaining(SUBSCRIPTION));
    assertTrue(waiting.message().contains("ARM asked for 86400.0 s"), waiting.message());
    assertTrue(waiting.message().contains("capped at 5 min"), waiting.message());
  }

  @Test
  void throttlingWithoutRetryAfterWaitsTenSeconds() {
    var waiting =
        assertInstanceOf(
            StepResult.Progressing.class,
            of(FakeAzure.failure(AzureFailure.Kind.THROTTLED, 429, "")));

    assertEquals(Duration.ofSeconds(10), waiting.after());
    assertEquals(Duration.ofSeconds(10), gate.remaining(SUBSCRIPTION));
  }

  @Test
  void aConflictWaitsForRetryAfterOrFifteenSeconds() {
    var withHeader =
        assertInstanceOf(
            StepResult.Progressing.class,
            of(
                new AzureFailure(
                    AzureFailure.Kind.CONFLICT, 409, "Busy", "busy", Duration.ofSeconds(40))));
    var without =
        assertInstanceOf(
            StepResult.Progressing.class,
            of(FakeAzure.failure(AzureFailure.Kind.CONFLICT, 409, "")));

    assertEquals(Duration.ofSeconds(40), withHeader.after());
    assertEquals(Duration.ofSeconds(15), without.after());
  }

  @Test
  void retriesThinOutTheLongerTheStoreHasFailed() {
    StepFixtures.lastRun(store, Conditions.READY, "False", "AzureUnavailable");
    store
        .getStatus()
        .getConditions()
        .get(0)
        .setLastTransitionTime(NOW.minus(Duration.ofMinutes(8)).toString());

    var failed =
        assertInstanceOf(
            StepResult.Failed.class, of(FakeAzure.failure(AzureFailure.Kind.TRANSIENT, 503, "")));

    assertEquals(Duration.ofMinutes(2), failed.after());
  }

  @Test
  void aFirstFailureIsRetriedSoon() {
    var failed =
        assertInstanceOf(
            StepResult.Failed.class, of(FakeAzure.failure(AzureFailure.Kind.REJECTED, 400, "")));

    assertEquals(Backoff.MIN_RETRY, failed.after());
  }

  @Test
  void aWriteQueuedByTheOperatorsBudgetWaitsAloneAndIsRemembered() {
    StoreContext ctx = ctx();

    var queued =
        assertInstanceOf(
            StepResult.Progressing.class,
            outcomes.of(ctx, QueuedFailures.write(REGISTRY_ID, Duration.ofSeconds(4))));

    assertEquals(AwaitArmBudget.QUEUED_FOR_BUDGET, queued.reason());
    assertEquals(Duration.ofSeconds(4), queued.after());
    assertEquals(Duration.ZERO, gate.remaining(SUBSCRIPTION));
    assertEquals(
        new PendingOperation(StoreContext.QUEUED_WRITE, REGISTRY_ID, null, NOW.toString()),
        ctx.pending());
  }

  @Test
  void aReadQueuedBeforeAQueuedWriteKeepsThatWriteQueued() {
    StepFixtures.queuedWrite(store, REGISTRY_ID);
    PendingOperation write = store.getStatus().getPendingOperation();
    StoreContext ctx = ctx();
    assertNull(ctx.pending());

    outcomes.of(ctx, QueuedFailures.read(Duration.ofSeconds(2)));

    assertSame(write, ctx.pending());
  }
}
