package dev.artifactstore.operator.azure;

import java.time.Duration;

/**
 * A long-running operation Azure accepted: where to poll it and when. The operator never waits on
 * it; it records the poll URL and comes back after {@code retryAfter}.
 */
public record Started(String pollUrl, Duration retryAfter) {}
