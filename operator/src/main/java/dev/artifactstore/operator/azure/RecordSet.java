package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;

/**
 * An A record set of a private DNS zone.
 *
 * @param addresses its IPv4 addresses, sorted
 * @param ttl its time to live in seconds, which a rewrite keeps
 * @param metadata the record set's metadata (where the operator's mark goes; never null)
 * @param etag what a write that must not overwrite someone else's change sends back
 */
public record RecordSet(
    String name, List<String> addresses, long ttl, Map<String, String> metadata, String etag) {
  /** The time to live of the records the operator creates, as Azure's zone groups write them. */
  public static final long CREATED_TTL = 10;
}
