package dev.artifactstore.operator.azure;

import java.time.Instant;

/**
 * A registry's replication as Azure reports it.
 *
 * @param displayStatus Ready, Provisioning, ... (null when Azure gave none)
 * @param statusSince when the status was last set; null when Azure gave no time
 */
public record Replica(
    String name,
    String id,
    String location,
    String provisioningState,
    String displayStatus,
    Instant statusSince,
    String zoneRedundancy) {}
