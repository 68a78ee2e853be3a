package dev.artifactstore.operator.azure;

import java.time.Instant;
import java.util.Map;

/**
 * A registry's replication as Azure reports it.
 *
 * @param displayStatus Ready, Provisioning, ... (null when Azure gave none)
 * @param statusSince when the status was last set; null when Azure gave no time
 * @param tags its Azure tags (never null)
 */
public record Replica(
    String name,
    String id,
    String location,
    String provisioningState,
    String displayStatus,
    Instant statusSince,
    String zoneRedundancy,
    Map<String, String> tags) {}
