package dev.artifactstore.operator.azure;

import java.util.List;

/**
 * An A record set of a private DNS zone.
 *
 * @param addresses its IPv4 addresses, sorted
 * @param etag what a write that must not overwrite someone else's change sends back
 */
public record RecordSet(String name, List<String> addresses, String etag) {}
