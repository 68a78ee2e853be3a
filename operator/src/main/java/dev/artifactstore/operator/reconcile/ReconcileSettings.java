package dev.artifactstore.operator.reconcile;

import java.time.Duration;

/**
 * Timing of the reconcile loop.
 *
 * @param resync how often a Ready store is observed again to catch drift (jittered)
 * @param stalledRetry how often a Stalled store is retried in case its cause went away
 * @param jitter fraction of the resync period a store's resync is moved by, at random
 * @param replicaCreatingTimeout how long a replica may stay Creating before the store is Stalled
 *     (without privateLinkServiceProxies/write a replica of a registry with private endpoints never
 *     leaves Creating)
 */
public record ReconcileSettings(
    Duration resync, Duration stalledRetry, double jitter, Duration replicaCreatingTimeout) {
  public static final Duration REPLICA_CREATING_TIMEOUT = Duration.ofMinutes(60);

  public ReconcileSettings(Duration resync, Duration stalledRetry, double jitter) {
    this(resync, stalledRetry, jitter, REPLICA_CREATING_TIMEOUT);
  }

  /**
   * A resync comes between half a period and a period after the last: stores made Ready together (a
   * fleet applied at once, an operator restart) spread their resyncs over half a period instead of
   * spending the read budget together, and drift is found within one period.
   */
  public static final double RESYNC_JITTER = 0.5;

  public static ReconcileSettings defaults() {
    return new ReconcileSettings(Duration.ofMinutes(10), Duration.ofMinutes(5), RESYNC_JITTER);
  }
}
