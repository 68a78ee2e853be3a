package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import dev.artifactstore.operator.api.ReplicationStrategy;
import java.util.List;
import java.util.Map;

/**
 * What the steps of one run found, one record per step, each written by its step alone. Later steps
 * read what earlier ones found; {@link StatusRecorder} assembles the status from them. A step the
 * run did not get to, or that Azure cut short, has none: the status keeps what the last run knew of
 * it.
 */
record Findings(Primary primary, Replicas replicas, Endpoints endpoints, Records records) {
  static final Findings NONE = new Findings(null, null, null, null);

  /**
   * The registry; {@code createdNow} when an operation this process started created it, seen to end
   * for the first time (so it has no replica yet).
   */
  record Primary(Fact fact, RegistryStatus registry, boolean createdNow) {}

  /** The replicas; {@code ready} when the paired replica serves (its region gets records). */
  record Replicas(
      Fact fact, ReplicationStrategy strategy, List<ReplicaStatus> replicas, boolean ready) {}

  /**
   * The spec's endpoints as far as the step got.
   *
   * @param published per endpoint name: FQDN -> private IPs, as the endpoint publishes them
   * @param zoneGroupRecords per endpoint name: record name -> IPs its DNS zone group reports
   */
  record Endpoints(
      Fact fact,
      List<PrivateEndpointStatus> endpoints,
      Map<String, Map<String, List<String>>> published,
      Map<String, Map<String, List<String>>> zoneGroupRecords) {}

  /** The endpoints again, each with the records found in its zone. */
  record Records(Fact fact, List<PrivateEndpointStatus> endpoints) {}

  Findings with(Primary found) {
    return new Findings(found, replicas, endpoints, records);
  }

  Findings with(Replicas found) {
    return new Findings(primary, found, endpoints, records);
  }

  Findings with(Endpoints found) {
    return new Findings(primary, replicas, found, records);
  }

  Findings with(Records found) {
    return new Findings(primary, replicas, endpoints, found);
  }

  /** Whether the paired replica serves, so that its region's data endpoint needs records. */
  boolean replicaReady() {
    return replicas != null && replicas.ready();
  }
}
