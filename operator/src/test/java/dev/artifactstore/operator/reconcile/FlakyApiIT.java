package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ReplicationStrategy;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator behind a Kubernetes API that fails: requests answered 500 or 503 or not at all,
 * status writes refused with 409, watch events held back, watches dropped and answered 410 Gone
 * ({@link FlakyApiServer}), and for 40 s down altogether. Stores are built and then made
 * geo-replicated through it; every store converges, none stays unobserved longer than twice the
 * resync period once the API server is back, and across every status write the API server accepted,
 * no store's observedGeneration and no condition's lastTransitionTime ever went back: an
 * observation made from an older copy of a store never replaced a newer one.
 */
class FlakyApiIT {
  /**
   * The resync period: longer than fabric8's informer waits between failed LISTs after an outage
   * (doubling to about 30 s), which no period of minutes, as in production, comes near.
   */
  static final Duration RESYNC = Duration.ofSeconds(20);

  /**
   * 5 % of requests 500 or 503, 3 % not answered, 20 % of status writes 409, half the watches 410
   * Gone, a watch dropped every 4 s on average, watch events held back up to 1.5 s.
   */
  static final FlakyApiServer.Rates FAULTS =
      new FlakyApiServer.Rates(
          0.05, 0.03, 0.2, 0.5, Duration.ofSeconds(4), Duration.ofMillis(1500));

  /** Longer than JOSDK's default retries last (5 tries, about 30 s). */
  static final Duration OUTAGE = Duration.ofSeconds(40);

  static Testbed bed;
  static FlakyApiServer api;
  static KubernetesClient operatorClient;

  @BeforeAll
  static void start() throws Exception {
    bed = new Testbed(new ReconcileSettings(RESYNC, Duration.ofSeconds(5), 0.1));
    api = new FlakyApiServer(bed.client.getConfiguration().getMasterUrl());
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(bed.client.getConfiguration())
                    .withMasterUrl(api.url())
                    .withRequestTimeout(5_000)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    bed.stopOperator();
    bed.operatorClient = operatorClient;
    bed.startOperator();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      bed.close();
    } finally {
      operatorClient.close();
      api.close();
    }
  }

  @Test
  void throughAFlakyApiEveryStoreConvergesAndNoStatusGoesBack() {
    api.rates(FAULTS);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String name = "flaky" + i;
      names.add(name);
      bed.create(
          Testbed.store(
              name,
              "flakyreg" + i,
              "eastus",
              i < 3 ? ReplicationStrategy.SingleReplication : ReplicationStrategy.GeoReplication,
              i % 2 == 1));
    }
    awaitReady(names, Duration.ofSeconds(120));

    // Single -> Geo, and the API server down for longer than JOSDK's default retries last: every
    // request but the watches answered 503. Ready goes False and back to True, the transitions a
    // stale copy gets wrong.
    for (String name : names.subList(0, 3)) {
      bed.editSpec(name, s -> s.setReplicationStrategy(ReplicationStrategy.GeoReplication));
    }
    api.rates(new FlakyApiServer.Rates(1.0, 0, 0, 0, null, Duration.ZERO));
    sleep(OUTAGE);
    api.rates(FAULTS);
    Instant back = Instant.now();
    Map<String, Duration> observed = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              // One read of each store serves both questions.
              boolean allReady = true;
              for (String name : names) {
                ArtifactStore s = bed.get(name);
                if (names.indexOf(name) < 3
                    && !observed.containsKey(name)
                    && s.getStatus() != null
                    && s.getStatus().getObservedGeneration() != null
                    && s.getStatus().getObservedGeneration() == 2L) {
                  observed.put(name, Duration.between(back, Instant.now()));
                }
                allReady &= Testbed.readyAtGeneration(s);
              }
              return allReady;
            });
    assertEquals(3, observed.size(), "each changed store's new generation was seen: " + observed);
    api.rates(FlakyApiServer.Rates.NONE);
    System.out.println(
        "flaky API: injected "
            + api.injected()
            + "; new generation observed after the outage in "
            + observed
            + "; status writes accepted "
            + api.statusWrites().values().stream().mapToInt(List::size).sum());
    for (String name : names.subList(0, 3)) {
      ArtifactStore s = bed.get(name);
      assertEquals(
          2L,
          s.getStatus().getObservedGeneration(),
          name
              + " status "
              + s.getStatus().getObservedGeneration()
              + " at generation "
              + s.getMetadata().getGeneration());
    }
    for (Map.Entry<String, Duration> e : observed.entrySet()) {
      assertTrue(
          e.getValue().compareTo(RESYNC.multipliedBy(2)) <= 0,
          e.getKey() + " observed its new spec only after " + e.getValue());
    }
    assertTrue(
        api.injected().keySet().containsAll(List.of("409 status", "410 watch", "watch dropped")),
        "every kind of fault was injected: " + api.injected());
    assertEquals(List.of(), wentBack(api.statusWrites()), "status writes that went back");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitReady(List<String> names, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> names.stream().allMatch(n -> Testbed.readyAtGeneration(bed.get(n))));
  }

  /** Every write whose observedGeneration or a condition's lastTransitionTime went back. */
  static List<String> wentBack(Map<String, List<JsonNode>> writes) {
    List<String> out = new ArrayList<>();
    writes.forEach(
        (store, statuses) -> {
          long generation = 0;
          Map<String, Instant> transitions = new HashMap<>();
          for (int i = 0; i < statuses.size(); i++) {
            JsonNode status = statuses.get(i);
            long g = status.path("observedGeneration").asLong(0);
            if (g < generation) {
              out.add(store + " write " + i + ": observedGeneration " + generation + " -> " + g);
            }
            generation = Math.max(generation, g);
            for (JsonNode c : status.path("conditions")) {
              String type = c.path("type").asText();
              Instant at = Instant.parse(c.path("lastTransitionTime").asText());
              Instant before = transitions.get(type);
              if (before != null && at.isBefore(before)) {
                out.add(
                    store
                        + " write "
                        + i
                        + ": "
                        + type
                        + " lastTransitionTime "
                        + before
                        + " -> "
                        + at);
              }
              transitions.merge(type, at, (a, b) -> a.isAfter(b) ? a : b);
            }
          }
        });
    return out;
  }
}
