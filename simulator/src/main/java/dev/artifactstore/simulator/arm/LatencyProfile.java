package dev.artifactstore.simulator.arm;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * How long simulated long-running operations take. {@code instant} completes every operation by the
 * first poll; {@code realistic} uses durations in the order of Azure's, multiplied by a time scale
 * (0.1 makes a 60 s replica take 6 s).
 */
public final class LatencyProfile {
  private static final Map<String, Duration> REALISTIC =
      Map.of(
          "registry", Duration.ofSeconds(20),
          "replication", Duration.ofSeconds(90),
          "privateEndpoint", Duration.ofSeconds(30),
          "privateDnsZoneGroup", Duration.ofSeconds(10),
          "privateDnsZone", Duration.ofSeconds(30),
          "virtualNetworkLink", Duration.ofSeconds(30),
          "virtualNetwork", Duration.ofSeconds(5),
          "resourceGroup", Duration.ofSeconds(15));

  private final String name;
  private final double timeScale;

  private LatencyProfile(String name, double timeScale) {
    this.name = name;
    this.timeScale = timeScale;
  }

  public static LatencyProfile instant() {
    return new LatencyProfile("instant", 0);
  }

  public static LatencyProfile realistic(double timeScale) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("time scale must be positive: " + timeScale);
    }
    return new LatencyProfile("realistic", timeScale);
  }

  public static LatencyProfile parse(String name, double timeScale) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "instant" -> instant();
      case "realistic" -> realistic(timeScale);
      default -> throw new IllegalArgumentException("unknown profile " + name);
    };
  }

  public String name() {
    return name;
  }

  /** How long an operation of this resource type takes. */
  public Duration duration(String operationType) {
    Duration base = REALISTIC.getOrDefault(operationType, Duration.ofSeconds(10));
    return Duration.ofMillis(Math.round(base.toMillis() * timeScale));
  }

  /**
   * Retry-After in whole seconds. The Java SDK ignores 0 and falls back to 30 s, so the smallest
   * useful value is 1.
   */
  public long retryAfterSeconds(Duration remaining) {
    long seconds = (long) Math.ceil(remaining.toMillis() / 1000.0);
    return Math.max(1, Math.min(seconds, 30));
  }

  public double timeScale() {
    return timeScale;
  }
}
