package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ReapplyPrivateEndpoints} has found so far in one run, endpoint by endpoint; it
 * becomes the step's {@link Findings.Endpoints} when the step ends.
 */
final class EndpointsSeen {
  private final List<PrivateEndpointStatus> endpoints = new ArrayList<>();
  private final Map<String, Map<String, List<String>>> published = new LinkedHashMap<>();
  private final Map<String, Map<String, List<String>>> zoneGroupRecords = new LinkedHashMap<>();
  private Fact fact;

  void endpoint(PrivateEndpointStatus status) {
    endpoints.add(status);
  }

  /** The endpoint publishes these names (FQDN -> IPs): it is complete. */
  void published(String endpoint, Map<String, List<String>> dns) {
    published.put(endpoint, dns);
  }

  /** The endpoint's zone group reports these records (name -> IPs). */
  void zoneGroupRecords(String endpoint, Map<String, List<String>> records) {
    zoneGroupRecords.put(endpoint, records);
  }

  /** The chain stops at this endpoint: {@code stop} says why. */
  StepResult stop(Fact.Stop stop) {
    fact = stop.fact();
    return stop.result();
  }

  StepResult stop(Fact found, StepResult result) {
    return stop(new Fact.Stop(found, result));
  }

  /** The fact, when the step decides it (else the DNS step does: null). */
  Findings.Endpoints finding() {
    return new Findings.Endpoints(
        fact, List.copyOf(endpoints), Map.copyOf(published), Map.copyOf(zoneGroupRecords));
  }

  static Findings.Endpoints notConfigured() {
    return new Findings.Endpoints(
        Fact.isTrue("NotConfigured", "The store has no private endpoints."),
        List.of(),
        Map.of(),
        Map.of());
  }
}
