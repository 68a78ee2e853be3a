package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;

/**
 * An A record set of a private DNS zone.
 *
 * @param addresses its IPv4 addresses, sorted
 * @param metadata the record set's metadata (where the operator's mark goes; never null)
 * @param etag what a write that must not overwrite someone else's change sends back
 */
public record RecordSet(
    String name, List<String> addresses, Map<String, String> metadata, String etag) {}
