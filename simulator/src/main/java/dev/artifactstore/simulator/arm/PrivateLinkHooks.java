package dev.artifactstore.simulator.arm;

/**
 * How the registry provider tells the network provider about new regions: every private endpoint of
 * a registry needs one more private IP for a new region's data endpoint, and Azure does not publish
 * it (nor write its DNS record) until the endpoint is written again.
 */
public interface PrivateLinkHooks {
  /**
   * Reserves an address for {@code fqdn} in the subnet of every endpoint of the registry.
   *
   * @return null when done, or the id of a subnet that has no free address (nothing reserved)
   */
  String reserveForRegion(String registryId, String fqdn);

  /** Releases what {@link #reserveForRegion} took. */
  void releaseForRegion(String registryId, String fqdn);

  /** A replica became ready: the endpoints' connections need to be re-applied. */
  void replicaAdded(String registryId, String region);

  /** The registry is gone: its endpoint connections are disconnected. */
  void registryDeleted(String registryId);
}
