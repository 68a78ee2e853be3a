package dev.artifactstore.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private final OperatorMetrics metrics = new OperatorMetrics(Clock.fixed(NOW, ZoneOffset.UTC));

  private static ArtifactStore store(String name, String type, String reason, Instant since) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName(name)
            .withCreationTimestamp(NOW.minus(Duration.ofHours(2)).toString())
            .build());
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    Condition c = new Condition();
    c.setType(type);
    c.setStatus("True");
    c.setReason(reason);
    c.setLastTransitionTime(since.toString());
    status.getConditions().add(c);
    store.setStatus(status);
    return store;
  }

  private double firstReadyCount() {
    String line =
        metrics
            .scrape()
            .lines()
            .filter(l -> l.startsWith("artifactstore_time_to_first_ready_seconds_count"))
            .findFirst()
            .orElseThrow();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void aStoreReadyBeforeThisProcessStartedIsNotCountedAsNewlyReady() {
    metrics.reconciled(
        store("old", "Ready", "Ready", NOW.minus(Duration.ofHours(1))), "Ready", Duration.ZERO);
    assertEquals(0, firstReadyCount(), "Ready an hour before this process started");

    metrics.reconciled(store("new", "Ready", "Ready", NOW), "Ready", Duration.ZERO);
    assertEquals(1, firstReadyCount(), "Ready since this process started");
  }

  @Test
  void aStalledStoreHasOneSeriesWithItsReasonWhichGoesWhenItIsNoLongerStalled() {
    metrics.reconciled(store("s", "Stalled", "InvalidSpec", NOW), "Stalled", Duration.ZERO);
    assertTrue(
        metrics
            .scrape()
            .contains(
                "artifactstore_store_stalled{name=\"s\",namespace=\"team-a\",reason=\"InvalidSpec\"} 1.0"),
        metrics.scrape());

    metrics.reconciled(store("s", "Stalled", "ScopeNotAllowed", NOW), "Stalled", Duration.ZERO);
    assertFalse(metrics.scrape().contains("reason=\"InvalidSpec\""));
    assertTrue(metrics.scrape().contains("reason=\"ScopeNotAllowed\"} 1.0"));

    metrics.reconciled(store("s", "Ready", "Ready", NOW), "Ready", Duration.ZERO);
    assertFalse(metrics.scrape().contains("artifactstore_store_stalled{"), metrics.scrape());
  }

  @Test
  void everyStoreHasItsGaugesInLabelOrderUntilItIsDeleted() {
    ArtifactStore b = store("b", "Ready", "Ready", NOW);
    ReplicaStatus replica = new ReplicaStatus();
    replica.setRegion("westus");
    replica.setProvisioningState("Succeeded");
    replica.setDisplayStatus("Ready");
    b.getStatus().getReplicas().add(replica);
    metrics.reconciled(b, "Ready", Duration.ZERO);
    metrics.reconciled(store("a", "Reconciling", "CreatingPrimary", NOW), "Failed", Duration.ZERO);

    List<String> lines = metrics.scrape().lines().filter(l -> l.contains("name=\"")).toList();
    assertEquals(
        List.of(
            "artifactstore_replica_ready{name=\"b\",namespace=\"team-a\",region=\"westus\"} 1.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"PrimaryReady\"} 0.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"PrivateEndpointDnsReady\"} 0.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"Ready\"} 0.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"Reconciling\"} 1.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"ReplicaReady\"} 0.0",
            "artifactstore_store_condition{name=\"a\",namespace=\"team-a\",type=\"Stalled\"} 0.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"PrimaryReady\"} 0.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"PrivateEndpointDnsReady\"} 0.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"Ready\"} 1.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"Reconciling\"} 0.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"ReplicaReady\"} 0.0",
            "artifactstore_store_condition{name=\"b\",namespace=\"team-a\",type=\"Stalled\"} 0.0",
            "artifactstore_store_failing{name=\"a\",namespace=\"team-a\"} 1.0",
            "artifactstore_store_failing{name=\"b\",namespace=\"team-a\"} 0.0",
            "artifactstore_store_ready{name=\"a\",namespace=\"team-a\"} 0.0",
            "artifactstore_store_ready{name=\"b\",namespace=\"team-a\"} 1.0"),
        lines);

    // A replica gone from the status takes its series with it; a deleted store, all of them.
    metrics.reconciled(store("b", "Ready", "Ready", NOW), "Ready", Duration.ZERO);
    assertFalse(metrics.scrape().contains("artifactstore_replica_ready{"), metrics.scrape());
    metrics.deleted(store("a", "Ready", "Ready", NOW));
    metrics.deleted(store("b", "Ready", "Ready", NOW));
    assertFalse(metrics.scrape().contains("name=\""), metrics.scrape());
  }
}
