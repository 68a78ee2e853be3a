package dev.artifactstore.operator.azure;

/** A connection of a private endpoint to the registry, as the registry holds it. */
public record Connection(String name, String endpointId, String status) {}
