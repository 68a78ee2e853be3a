package dev.artifactstore.bench;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which kinds of store a run creates, in what proportions ({@code single=1,geo=1,geo-endpoint=2}),
 * and what each kind needs from ARM at the least: its writes, and the long-running operations on
 * its critical path.
 */
public record StoreMix(Map<Type, Integer> weights) {
  /** The kinds of store. */
  public enum Type {
    SINGLE("single", 1, List.of("registry")),
    GEO("geo", 2, List.of("registry", "replication")),
    GEO_ENDPOINT(
        "geo-endpoint",
        4,
        List.of("registry", "replication", "privateEndpoint", "privateDnsZoneGroup"));

    final String word;

    /** Registry, replica, private endpoint and its DNS zone group: one PUT each. */
    final int writes;

    /** The simulator's operation types, one after the other. */
    final List<String> operations;

    Type(String word, int writes, List<String> operations) {
      this.word = word;
      this.writes = writes;
      this.operations = operations;
    }

    public String word() {
      return word;
    }

    public int writes() {
      return writes;
    }

    /** The sum of the operations' durations in this latency profile. */
    public Duration criticalPath(LatencyProfile profile) {
      return operations.stream().map(profile::duration).reduce(Duration.ZERO, Duration::plus);
    }
  }

  public static StoreMix parse(String text) {
    Map<Type, Integer> weights = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      Type type = null;
      for (Type t : Type.values()) {
        if (t.word.equals(kv[0].trim().toLowerCase(Locale.ROOT))) {
          type = t;
        }
      }
      if (type == null) {
        throw new IllegalArgumentException(
            "unknown store kind '" + kv[0] + "'; use single, geo or geo-endpoint");
      }
      int weight = kv.length > 1 ? Integer.parseInt(kv[1].trim()) : 1;
      if (weight < 0) {
        throw new IllegalArgumentException("negative weight for " + kv[0]);
      }
      weights.merge(type, weight, Integer::sum);
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new IllegalArgumentException("the mix has no store kind with a weight above 0");
    }
    return new StoreMix(weights);
  }

  /** The kinds of {@code n} stores: weights spread evenly (store i gets kind i mod the cycle). */
  public List<Type> assign(int n) {
    List<Type> cycle = new ArrayList<>();
    weights.forEach(
        (type, weight) -> {
          for (int i = 0; i < weight; i++) {
            cycle.add(type);
          }
        });
    List<Type> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(cycle.get(i % cycle.size()));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    weights.forEach(
        (t, w) -> text.append(text.length() == 0 ? "" : ",").append(t.word).append('=').append(w));
    return text.toString();
  }

  private static final Pattern REGISTRY_INDEX = Pattern.compile("/bench(\\d{5})");

  /**
   * The store an ARM request path belongs to (its registry, replica or private endpoint), or null
   * when it is shared (a zone listing).
   */
  static String storeOf(String path) {
    Matcher m = REGISTRY_INDEX.matcher(path);
    return m.find() ? "store-" + m.group(1) : null;
  }

  /**
   * The manifest of store {@code index} of kind {@code type}, in {@code namespace}, its registry
   * and endpoint in {@code subscription}.
   */
  static ArtifactStore store(
      String namespace, String run, int index, Type type, String subscription, String subnet) {
    ArtifactStore store = new ArtifactStore();
    String name = String.format(Locale.ROOT, "store-%05d", index);
    store.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(subscription);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation("eastus");
    String registry = String.format(Locale.ROOT, "bench%s%05d", run, index);
    spec.setRegistryName(registry);
    spec.setReplicationStrategy(
        type == Type.SINGLE
            ? ReplicationStrategy.SingleReplication
            : ReplicationStrategy.GeoReplication);
    if (type == Type.GEO_ENDPOINT) {
      spec.setPrivateEndpoints(
          new ArrayList<>(
              List.of(
                  new PrivateEndpointSpec(
                      registry + "-pe",
                      PlatformBaseline.NETWORK_GROUP,
                      PlatformBaseline.subnetId(subscription, subnet),
                      PlatformBaseline.zoneId(subscription)))));
    }
    store.setSpec(spec);
    return store;
  }
}
