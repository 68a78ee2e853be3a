package dev.artifactstore.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Evaluates the CEL rules read from the committed CRD, as the API server would on an update. */
class CrdCelRulesTest {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          // Kubernetes' CEL environment includes the strings extension (lowerAscii, ...).
          .addLibraries(CelExtensions.strings())
          .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();

  @ParameterizedTest(name = "{0} -> {1}: allowed={2}")
  @CsvSource({
    "SingleReplication, GeoReplication, true",
    "GeoReplication, SingleReplication, false",
    "SingleReplication, SingleReplication, true",
    "GeoReplication, GeoReplication, true"
  })
  void replicationStrategyOnlyMovesFromSingleToGeo(String from, String to, boolean allowed) {
    Verdict verdict = evaluate("replicationStrategy", to, from);
    assertEquals(allowed, verdict.allowed());
    if (!allowed) {
      assertTrue(verdict.message().contains("spec.replicationStrategy"), verdict.message());
    }
  }

  @Test
  void locationCannotChange() {
    Verdict verdict = evaluate("location", "westus", "eastus");
    assertFalse(verdict.allowed());
    assertTrue(verdict.message().contains("spec.location"), verdict.message());
    assertTrue(evaluate("location", "eastus", "eastus").allowed());
  }

  @Test
  void registryNameCannotChange() {
    Verdict verdict = evaluate("registryName", "contosonew", "contosoold");
    assertFalse(verdict.allowed());
    assertTrue(verdict.message().contains("spec.registryName"), verdict.message());
    assertTrue(evaluate("registryName", "contosoold", "contosoold").allowed());
  }

  @Test
  void privateEndpointNamesMustBeUnique() {
    List<Map<String, Object>> duplicates =
        List.of(endpoint("pe-a"), endpoint("pe-b"), endpoint("pe-a"));
    Verdict verdict = evaluate("privateEndpoints", duplicates, null);
    assertFalse(verdict.allowed());
    assertTrue(verdict.message().contains("spec.privateEndpoints"), verdict.message());
    assertTrue(
        evaluate("privateEndpoints", List.of(endpoint("pe-a"), endpoint("pe-b")), null).allowed());
    assertTrue(evaluate("privateEndpoints", List.of(), null).allowed());
  }

  @Test
  void anEndpointInAnotherSubscriptionNamesItsResourceGroup() {
    String own = "00000000-0000-0000-0000-00000000000A";
    String elsewhere = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/hub";
    Map<String, Object> foreign =
        Map.of("name", "pe", "subnetId", elsewhere + "/x", "privateDnsZoneId", "/z");
    Verdict missing =
        evaluateSpec(Map.of("subscriptionId", own, "privateEndpoints", List.of(foreign)));
    assertFalse(missing.allowed());
    assertTrue(
        missing.message().contains("spec.privateEndpoints[].resourceGroup"), missing.message());

    Map<String, Object> named = new HashMap<>(foreign);
    named.put("resourceGroup", "hub-endpoints");
    assertTrue(
        evaluateSpec(Map.of("subscriptionId", own, "privateEndpoints", List.of(named))).allowed());
    Map<String, Object> local =
        Map.of(
            "name",
            "pe",
            "subnetId",
            "/subscriptions/" + own.toLowerCase() + "/resourceGroups/net/x",
            "privateDnsZoneId",
            "/z");
    assertTrue(
        evaluateSpec(Map.of("subscriptionId", own, "privateEndpoints", List.of(local))).allowed());
    assertTrue(evaluateSpec(Map.of("subscriptionId", own)).allowed());
  }

  /** The rules on the spec object itself, which relate its fields. */
  private static Verdict evaluateSpec(Map<String, Object> spec) {
    JsonNode rules = CrdFiles.openApiSchema().at("/properties/spec/x-kubernetes-validations");
    assertTrue(rules.isArray() && !rules.isEmpty(), "no CEL rule on spec");
    return evaluateRules(rules, spec, null);
  }

  private static Map<String, Object> endpoint(String name) {
    return Map.of("name", name, "subnetId", "/subscriptions/x", "privateDnsZoneId", "/z");
  }

  private record Verdict(boolean allowed, String message) {}

  /** All rules on the spec field must hold; the first failing one supplies the message. */
  private static Verdict evaluate(String specField, Object self, Object oldSelf) {
    JsonNode rules =
        CrdFiles.openApiSchema()
            .at("/properties/spec/properties/" + specField + "/x-kubernetes-validations");
    assertTrue(rules.isArray() && !rules.isEmpty(), "no CEL rule on spec." + specField);
    return evaluateRules(rules, self, oldSelf);
  }

  private static Verdict evaluateRules(JsonNode rules, Object self, Object oldSelf) {
    for (JsonNode rule : rules) {
      String expression = rule.get("rule").asText();
      boolean transitionRule = expression.contains("oldSelf");
      if (transitionRule && oldSelf == null) {
        continue; // the API server evaluates transition rules on updates only
      }
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", self);
      if (transitionRule) {
        vars.put("oldSelf", oldSelf);
      }
      try {
        Object result = RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(vars);
        if (!Boolean.TRUE.equals(result)) {
          return new Verdict(false, rule.get("message").asText());
        }
      } catch (Exception e) {
        throw new AssertionError("rule does not evaluate: " + expression, e);
      }
    }
    return new Verdict(true, "");
  }
}
