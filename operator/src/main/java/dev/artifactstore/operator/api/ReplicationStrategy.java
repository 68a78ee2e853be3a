package dev.artifactstore.operator.api;

/** How many regions hold the store's registry. */
public enum ReplicationStrategy {
  /** One region, zone redundant where the region has availability zones. */
  SingleReplication,
  /** The primary region plus a replica in its paired region. */
  GeoReplication
}
