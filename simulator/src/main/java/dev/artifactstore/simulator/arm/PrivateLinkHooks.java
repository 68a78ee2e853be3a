package dev.artifactstore.simulator.arm;

/**
 * How the registry provider and the network provider tell each other about a registry's private
 * endpoints: every private endpoint of a registry needs one more private IP for a new region's data
 * endpoint, Azure does not publish it (nor write its DNS record) until the endpoint is written
 * again, and a connection approved or rejected on the registry shows on its endpoint.
 */
public interface PrivateLinkHooks {
  /** Why a replica of the registry cannot be provisioned: Azure's code and message. */
  record Refusal(String code, String message) {}

  /**
   * Reserves an address for {@code fqdn} in the subnet of every endpoint of the registry.
   *
   * @return null when done, or why not (nothing reserved)
   */
  Refusal reserveForRegion(String registryId, String fqdn);

  /** Releases what {@link #reserveForRegion} took. */
  void releaseForRegion(String registryId, String fqdn);

  /** A replica became ready. */
  void replicaAdded(String registryId, String region);

  /** The registry is gone: its endpoint connections are disconnected. */
  void registryDeleted(String registryId);

  /** A connection's state was set on the registry side (approved, rejected, or removed). */
  void connectionStateChanged(String endpointId, String status, String description);

  /** Whether the registry has at least one private endpoint. */
  boolean hasEndpoints(String registryId);

  /** The lower-case ids of every registry some private endpoint connects to (one scan). */
  java.util.Set<String> registriesWithEndpoints();
}
