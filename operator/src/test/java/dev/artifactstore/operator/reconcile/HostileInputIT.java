package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
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
  static AzureClients clients;
  static JsonSchema schema;
  static JsonNode specSchema;
  static JsonNode specRules;
  static final CelCompiler CEL =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .addLibraries(CelExtensions.strings())
          .build();
  static final CelRuntime CEL_RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();
  static volatile ArtifactStore previous;
  static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
  static final AtomicInteger COUNT = new AtomicInteger();
  static final AtomicInteger INVALID = new AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("hostile");
    simulator =
        Simulator.start(
            Simulator.options()
                .port(0)
                .dataDir(dir)
                .throttling(false)
                .client("hostile", "s")
                .client("team-app", "team-secret"));
    AzureConnection connection =
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(null, "hostile", "s"));
    PlatformBaseline.create(connection);
    clients = new AzureClients(connection, List.of());
    chain =
        new ReconcileChain(
            new AzureClients(connection, List.of()),
            RegionTable.defaults(),
            new SubscriptionGate(Clock.systemUTC()),
            Clock.systemUTC(),
            (ns, name) -> null,
            Tenancy.open(),
            Duration.ofSeconds(30),
            ReconcileSettings.REPLICA_CREATING_TIMEOUT,
            "test-cluster");
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

  @Provide
  Arbitrary<ArtifactStore> stores() {
    return HostileSpecs.stores();
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void everySpecEndsWithAReasonAndInvalidOnesTouchNothing(@ForAll("stores") ArtifactStore store) {
    JsonNode manifest = JSON.valueToTree(store);
    boolean schemaAccepts = schema.validate(manifest).isEmpty();
    StoreContext probe = new StoreContext(store, Clock.systemUTC(), "test-cluster");
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

  /** How a namespace is set up: its scopes annotation, its Secrets, the operator's rules. */
  record Layout(
      String scopes,
      boolean requireScopes,
      Set<String> operatorIdentity,
      String secretRef,
      Map<String, Map<String, String>> labelled,
      Set<String> unlabelled) {}

  @Provide
  Arbitrary<Layout> layouts() {
    String sub = "/subscriptions/" + PlatformBaseline.SUBSCRIPTION;
    Arbitrary<String> scopes =
        Arbitraries.of(
            null,
            "",
            sub,
            sub + "/resourceGroups/" + PlatformBaseline.ARTIFACTS_GROUP,
            sub
                + "/resourceGroups/"
                + PlatformBaseline.ARTIFACTS_GROUP
                + ","
                + sub
                + "/resourceGroups/"
                + PlatformBaseline.NETWORK_GROUP
                + ",/subscriptions/"
                + PlatformBaseline.CONNECTIVITY_SUBSCRIPTION,
            sub.toUpperCase(java.util.Locale.ROOT) + "/",
            "resourceGroups/" + PlatformBaseline.ARTIFACTS_GROUP,
            sub + "/resourceGroups/other, ,",
            " " + sub + "/resourceGroups/" + PlatformBaseline.ARTIFACTS_GROUP + "-and-more");
    Map<String, String> team =
        Map.of(
            "tenantId",
            "t",
            "clientId",
            "team-app",
            "clientSecret",
            "team-secret",
            "__resourceVersion",
            "1");
    Arbitrary<Map<String, Map<String, String>>> labelled =
        Arbitraries.of(
            Map.of(),
            Map.of("team-sp", team),
            Map.of(ResolveCredentials.NAMESPACE_SECRET, team),
            Map.of("team-sp", Map.of("tenantId", "t")));
    return Combinators.combine(
            scopes,
            Arbitraries.of(true, false),
            Arbitraries.<Set<String>>of(
                Set.of("*"), Set.of(Testbed.NAMESPACE), Set.of("platform"), Set.of()),
            Arbitraries.of(null, "team-sp", "someone-elses-sp", ""),
            labelled,
            Arbitraries.<Set<String>>of(Set.of(), Set.of("team-sp")))
        .as(Layout::new);
  }

  /**
   * Whatever the namespace's layout, a store denied its credentials or its scopes sends nothing to
   * Azure, and one that goes on acts with exactly the identity precedence gives it.
   */
  @Property(tries = 200, shrinking = ShrinkingMode.OFF)
  void tenancyDecidesBeforeAnyArmRequestAndPicksTheRightIdentity(
      @ForAll("stores") ArtifactStore store, @ForAll("layouts") Layout layout) {
    store.getMetadata().setNamespace(Testbed.NAMESPACE);
    store
        .getSpec()
        .setCredentialsSecretRef(
            layout.secretRef() == null
                ? null
                : new dev.artifactstore.operator.api.SecretReference(layout.secretRef()));
    ReconcileChain.CredentialSecrets secrets =
        new ReconcileChain.CredentialSecrets() {
          @Override
          public Map<String, String> labelled(String namespace, String name) {
            return layout.labelled().get(name);
          }

          @Override
          public boolean exists(String namespace, String name) {
            return layout.labelled().containsKey(name) || layout.unlabelled().contains(name);
          }
        };
    Tenancy tenancy =
        new Tenancy(
            layout.operatorIdentity(),
            layout.requireScopes(),
            (namespace, key) ->
                key.equals(Tenancy.ALLOWED_SCOPES_ANNOTATION) ? layout.scopes() : null);
    ReconcileChain tenantChain =
        new ReconcileChain(
            clients,
            RegionTable.defaults(),
            new SubscriptionGate(Clock.systemUTC()),
            Clock.systemUTC(),
            secrets,
            tenancy,
            Duration.ofSeconds(30),
            ReconcileSettings.REPLICA_CREATING_TIMEOUT,
            "test-cluster");
    long before = simulator.journal().sequence();

    ReconcileChain.Run run = tenantChain.run(store);

    var sent = simulator.journal().entries(e -> e.sequence() > before);
    String reason = run.outcome().reason();
    if (Set.of(
            CheckScopes.NOT_ALLOWED,
            ResolveCredentials.REQUIRED,
            ResolveCredentials.NOT_LABELLED,
            "InvalidSpec")
        .contains(reason)) {
      assertEquals(List.of(), sent, reason + " yet ARM was asked: " + layout);
    }
    if (!sent.isEmpty()) {
      String ref =
          layout.secretRef() == null || layout.secretRef().isEmpty() ? null : layout.secretRef();
      boolean bySecret =
          ref != null || layout.labelled().containsKey(ResolveCredentials.NAMESPACE_SECRET);
      String expected = bySecret ? "team-app" : "hostile";
      assertTrue(
          sent.stream().allMatch(e -> expected.equals(e.client())),
          "requests by "
              + sent.stream().map(e -> e.client()).distinct().toList()
              + ", not "
              + expected
              + ": "
              + layout);
      assertTrue(
          bySecret
              || layout.operatorIdentity().contains("*")
              || layout.operatorIdentity().contains(Testbed.NAMESPACE),
          "the operator's identity lent to a namespace not listed: " + layout);
      if (layout.scopes() == null) {
        assertFalse(layout.requireScopes(), "no scopes yet ARM was asked: " + layout);
      }
    }
  }
}
