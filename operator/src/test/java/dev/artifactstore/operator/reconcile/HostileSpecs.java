package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** The specs the hostile input test applies: what users and fuzzers write. */
final class HostileSpecs {
  private HostileSpecs() {}

  /** Mostly one of the given values (the first being valid), sometimes something hostile. */
  static Arbitrary<String> hostile(String... values) {
    return Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.of(values[0])),
        Tuple.of(3, Arbitraries.of(values)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .ofMinLength(0)
                .ofMaxLength(120)),
        Tuple.of(
            1,
            Arbitraries.of(
                "",
                " ",
                "-",
                ".",
                "..",
                "a",
                "東京",
                "e\u0301",
                "\u0000",
                "\n",
                "x".repeat(10_000),
                "../../etc",
                "${jndi:ldap://x}",
                "null")),
        Tuple.of(
            1, Arbitraries.strings().withChars("abcdefABC0123456789-_.()/ ").ofMaxLength(100)));
  }

  static final String SUBNET = PlatformBaseline.subnetId(PlatformBaseline.SUBNET);
  static final String ZONE = PlatformBaseline.zoneId();

  /** Store specs, mostly valid, sometimes hostile in one or more fields. */
  static Arbitrary<ArtifactStore> stores() {
    Arbitrary<String> subscription =
        hostile(PlatformBaseline.SUBSCRIPTION, "00000000-0000-0000-0000-00000000000", "not-a-guid");
    Arbitrary<String> group =
        hostile(PlatformBaseline.ARTIFACTS_GROUP, "rg.", "r".repeat(90), "r".repeat(91));
    Arbitrary<String> location =
        hostile(
            "eastus", "East US", "westus3", "southcentralus", "centralus", "atlantis", "EASTUS");
    Arbitrary<String> registry =
        Arbitraries.frequencyOf(
            Tuple.of(
                8, Arbitraries.strings().withCharRange('a', 'z').ofLength(12).map(s -> "hx" + s)),
            Tuple.of(1, hostile("abcd", "a".repeat(50), "a".repeat(51), "has-hyphen")));
    Arbitrary<ReplicationStrategy> strategy =
        Arbitraries.of(ReplicationStrategy.class).injectNull(0.1);
    Arbitrary<List<PrivateEndpointSpec>> endpoints =
        Combinators.combine(
                hostile("pe-1", "pe-1", ""),
                hostile(PlatformBaseline.NETWORK_GROUP).injectNull(0.5),
                hostile(
                    SUBNET,
                    PlatformBaseline.connectivitySubnetId(),
                    SUBNET.replace("/subnets/", "/subnetz/"),
                    "/subscriptions/x"),
                hostile(
                    ZONE,
                    ZONE.replace("privatelink.azurecr.io", "privatelink.blob.core.windows.net")))
            .as(PrivateEndpointSpec::new)
            .list()
            .ofMaxSize(20)
            .withSizeDistribution(net.jqwik.api.RandomDistribution.gaussian(0.3));
    Arbitrary<Boolean> appliedGeo = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(4, false));
    Arbitrary<String> secret = hostile("publisher-sp", "Upper_Case", "").injectNull(0.7);
    return Combinators.combine(
            subscription, group, location, registry, strategy, endpoints, appliedGeo, secret)
        .as(
            (sub, rg, loc, reg, strat, pes, geo, sec) -> {
              ArtifactStore store = new ArtifactStore();
              store.setMetadata(
                  new ObjectMetaBuilder()
                      .withName("hostile-" + HostileInputIT.COUNT.incrementAndGet())
                      .withNamespace("tests")
                      .withGeneration(1L)
                      .build());
              ArtifactStoreSpec spec = new ArtifactStoreSpec();
              spec.setSubscriptionId(sub);
              spec.setResourceGroup(rg);
              spec.setLocation(loc);
              spec.setRegistryName(reg);
              spec.setReplicationStrategy(strat);
              spec.setPrivateEndpoints(new ArrayList<>(pes));
              spec.setCredentialsSecretRef(sec == null ? null : new SecretReference(sec));
              store.setSpec(spec);
              if (geo) {
                ArtifactStoreStatus status = new ArtifactStoreStatus();
                status.setReplicationStrategy(ReplicationStrategy.GeoReplication);
                store.setStatus(status);
              }
              return store;
            });
  }
}
