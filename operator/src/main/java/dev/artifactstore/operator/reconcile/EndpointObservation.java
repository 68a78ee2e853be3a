package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.ZoneGroup;
import java.time.Duration;
import java.util.Optional;

/**
 * What ReapplyPrivateEndpoints finds in Azure of one endpoint, or what the last run left to do for
 * it.
 */
record EndpointObservation(
    Kind kind,
    PrivateEndpoint endpoint,
    Optional<ZoneGroup> group,
    ZoneGroups.Linked linked,
    Duration after) {
  EndpointObservation(
      Kind kind, PrivateEndpoint endpoint, Optional<ZoneGroup> group, ZoneGroups.Linked linked) {
    this(kind, endpoint, group, linked, null);
  }

  /** Nothing read: the endpoint created a moment ago waits {@code after} for the next listing. */
  static EndpointObservation settling(Duration after) {
    return new EndpointObservation(Kind.SETTLING, null, null, null, after);
  }

  enum Kind {
    /** Created a moment ago by this operator; no listing since shows it yet. */
    SETTLING,
    /** The last run queued a write of the endpoint's zone group; {@code group} as it is. */
    GROUP_WRITE_QUEUED,
    /** The last run queued the creation of the endpoint. */
    CREATE_QUEUED,
    /** Its zone group was written a moment ago; no listing of the zone since shows it yet. */
    LINK_SETTLING,
    /** Its zone group was just written, and reports an address for every required name. */
    JUST_LINKED,
    MISSING,
    FOUND
  }
}
