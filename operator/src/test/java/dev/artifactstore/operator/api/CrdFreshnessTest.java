package dev.artifactstore.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CrdFreshnessTest {
  private static final String REFRESH =
      "crds/artifactstores.artifactstore.dev.yaml is stale: the Java model in operator/src/main/java/"
          + "dev/artifactstore/operator/api changed. Refresh it with\n"
          + "  ./mvnw -B -pl operator process-classes && cp "
          + "operator/target/classes/META-INF/fabric8/artifactstores.artifactstore.dev-v1.yml "
          + "crds/artifactstores.artifactstore.dev.yaml\nand commit both.";

  @Test
  void committedCrdEqualsTheOneGeneratedFromTheModel() throws Exception {
    assertTrue(
        Files.exists(CrdFiles.GENERATED), "the build did not generate " + CrdFiles.GENERATED);
    assertEquals(
        Files.readString(CrdFiles.GENERATED), Files.readString(CrdFiles.COMMITTED), REFRESH);
  }

  @Test
  void crdDeclaresNamesScopeAndStatusSubresource() {
    JsonNode crd = CrdFiles.committedCrd();
    assertEquals("artifactstores.artifactstore.dev", crd.at("/metadata/name").asText());
    assertEquals("Namespaced", crd.at("/spec/scope").asText());
    assertEquals("astore", crd.at("/spec/names/shortNames/0").asText());
    JsonNode version = crd.at("/spec/versions/0");
    assertEquals("v1alpha1", version.at("/name").asText());
    assertTrue(version.at("/subresources/status").isObject(), "status subresource missing");
  }

  @Test
  void crdHasThePrinterColumnsUsersSeeInKubectlGet() {
    Set<String> columns = new TreeSet<>();
    CrdFiles.committedCrd()
        .at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.add(c.get("name").asText() + "=" + c.get("jsonPath").asText()));
    assertEquals(
        new TreeSet<>(
            List.of(
                "Strategy=.spec.replicationStrategy",
                "Primary=.spec.location",
                "Replica=.status.replicas[0].region",
                "Ready=.status.conditions[?(@.type==\"Ready\")].status",
                "Reason=.status.conditions[?(@.type==\"Ready\")].reason",
                "Age=.metadata.creationTimestamp")),
        columns);
  }

  @Test
  void everySpecFieldHasADescriptionForKubectlExplain() {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(CrdFiles.openApiSchema().at("/properties/spec"), "spec", undocumented);
    assertTrue(undocumented.isEmpty(), "fields without a description: " + undocumented);
    assertFalse(
        CrdFiles.openApiSchema()
            .at("/properties/spec/properties/replicationStrategy/description")
            .asText()
            .isBlank());
  }

  private static void collectUndocumented(JsonNode schema, String path, List<String> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              String fieldPath = path + "." + field.getKey();
              if (field.getValue().path("description").asText().isBlank()) {
                out.add(fieldPath);
              }
              collectUndocumented(field.getValue(), fieldPath, out);
              collectUndocumented(field.getValue().path("items"), fieldPath + "[]", out);
            });
  }
}
