package dev.artifactstore.operator.azure;

import java.util.List;

/** One page of an ARM list: its items, and where the list goes on (null after the last page). */
public record Page<T>(List<T> items, String next) {}
