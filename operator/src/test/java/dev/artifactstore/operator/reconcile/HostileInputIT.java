package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile specs, generated: random and boundary strings, unicode, huge values, missing fields,
 * malformed ids, strategy flips. Each goes through the CRD schema and, with admission bypassed,
 * through the reconcile chain against the simulator. Nothing throws; every store ends Ready,
 * progressing or Stalled with a reason; a spec the schema refuses is refused by the operator too,
 * and an invalid spec writes nothing to Azure.
 */
class HostileInputIT {
  static Simulator simulator;
  static ReconcileChain chain;
  static JsonSchema schema;
  static JsonNode specSchema;
  static JsonNode specRules;
  static final dev.cel.compiler.CelCompiler CEL =
      dev.cel.compiler.CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
          .addVar("self", dev.cel.common.types.SimpleType.DYN)
          .addVar("oldSelf", dev.cel.common.types.SimpleType.DYN)
          .addLibraries(dev.cel.extensions.CelExtensions.strings())
          .build();
  static final dev.cel.runtime.CelRuntime CEL_RUNTIME =
      dev.cel.runtime.CelRuntimeFactory.standardCelRuntimeBuilder()
          .addLibraries(dev.cel.extensions.CelExtensions.strings())
          .build();
  static volatile ArtifactStore previous;
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
  static final AtomicInteger COUNT = new AtomicInteger();
  static final AtomicInteger INVALID = new AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("hostile");
    simulator = Simulator.start(Simulator.options().port(0).dataDir(dir).throttling(false));
    AzureConnection connection =
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(null, "hostile", "s"));
    PlatformBaseline.create(connection);
    chain =
        new ReconcileChain(
            new AzureClients(connection, List.of()),
            RegionTable.defaults(),
            new SubscriptionGate(Clock.systemUTC()),
            Clock.systemUTC(),
            (ns, name) -> null);
    JsonNode crd =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("..", "crds", "artifactstores.artifactstore.dev.yaml").toFile());
    schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    specSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
    specRules =
        crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations");
  }

  @AfterContainer
  static void stop() {
    System.out.printf(
        "hostile input: %d specs, %d refused by the operator%n", COUNT.get(), INVALID.get());
    simulator.close();
  }

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

  @Provide
  Arbitrary<ArtifactStore> stores() {
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
                      .withName("hostile-" + COUNT.incrementAndGet())
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

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void everySpecEndsWithAReasonAndInvalidOnesTouchNothing(@ForAll("stores") ArtifactStore store) {
    JsonNode manifest = JSON.valueToTree(store);
    boolean schemaAccepts = schema.validate(manifest).isEmpty();
    StoreContext probe = new StoreContext(store, Clock.systemUTC());
    StepResult validation = new ValidateSpec(RegionTable.defaults()).run(probe);
    if (!schemaAccepts) {
      assertTrue(
          validation instanceof StepResult.Stalled,
          "the schema refuses but the operator accepts: " + manifest);
    }

    // The CRD's rules on the spec as a whole (after its schema): what they refuse, so does the
    // operator.
    if (schemaAccepts) {
      Object spec = JSON.convertValue(manifest.get("spec"), Object.class);
      for (JsonNode rule : specRules) {
        Object verdict;
        try {
          verdict =
              CEL_RUNTIME
                  .createProgram(CEL.compile(rule.get("rule").asText()).getAst())
                  .eval(Map.of("self", spec));
        } catch (Exception e) {
          throw new AssertionError(
              "CEL rule " + rule.get("rule").asText() + " failed on " + spec, e);
        }
        if (Boolean.FALSE.equals(verdict)) {
          assertTrue(
              validation instanceof StepResult.Stalled,
              "the CRD's rule refuses but the operator accepts: " + manifest);
        }
      }
    }

    // The CRD's CEL rules, as the API server would run them on an update from the previous sample.
    ArtifactStore old = previous;
    previous = store;
    if (old != null) {
      for (var field : specSchema.properties()) {
        for (JsonNode rule : field.getValue().path("x-kubernetes-validations")) {
          Object self = JSON.convertValue(manifest.at("/spec/" + field.getKey()), Object.class);
          Object oldSelf =
              JSON.convertValue(JSON.valueToTree(old).at("/spec/" + field.getKey()), Object.class);
          if (self == null || oldSelf == null) {
            continue;
          }
          Object verdict;
          try {
            verdict =
                CEL_RUNTIME
                    .createProgram(CEL.compile(rule.get("rule").asText()).getAst())
                    .eval(Map.of("self", self, "oldSelf", oldSelf));
          } catch (Exception e) {
            throw new AssertionError(
                "CEL rule " + rule.get("rule").asText() + " failed on " + self + " / " + oldSelf,
                e);
          }
          assertTrue(verdict instanceof Boolean, rule.toString());
          if (field.getKey().equals("replicationStrategy")
              && "GeoReplication".equals(oldSelf)
              && "SingleReplication".equals(self)) {
            assertEquals(false, verdict, "Geo -> Single must be refused");
          }
        }
      }
    }

    long before = simulator.journal().sequence();
    ReconcileChain.Run run = chain.run(store);
    long writes =
        simulator
            .journal()
            .entries(e -> e.sequence() > before && (e.isWrite() || e.isDelete()))
            .size();

    Outcome outcome = run.outcome();
    assertFalse(
        outcome.reason() == null || outcome.reason().isBlank(), "no reason for " + manifest);
    assertFalse(
        outcome.message() == null || outcome.message().isBlank(), "no message for " + manifest);
    net.jqwik.api.statistics.Statistics.collect(
        validation instanceof StepResult.Stalled ? "refused" : "accepted");
    net.jqwik.api.statistics.Statistics.coverage(
        coverage -> {
          coverage.check("accepted").percentage(p -> p >= 10);
          coverage.check("refused").percentage(p -> p >= 10);
        });
    if (validation instanceof StepResult.Stalled stalled) {
      INVALID.incrementAndGet();
      assertEquals(Outcome.Kind.STALLED, outcome.kind());
      assertEquals(stalled.reason(), outcome.reason());
      assertEquals(0, writes, "an invalid spec wrote to Azure: " + manifest);
      assertTrue(outcome.message().length() < 4000, "message is bounded");
    }
    // The status the operator would write must be writable: no control characters break it.
    JSON.valueToTree(StatusRecorder.next(store, run, Clock.systemUTC().instant()));
  }
}
