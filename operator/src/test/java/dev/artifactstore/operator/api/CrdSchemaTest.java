package dev.artifactstore.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validates manifests against the committed CRD's openAPIV3Schema, as admission would. */
class CrdSchemaTest {
  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(CrdFiles.openApiSchema());

  static Stream<Path> examples() {
    return CrdFiles.examples().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsValid(Path example) {
    Set<ValidationMessage> errors = SCHEMA.validate(CrdFiles.read(example));
    assertTrue(errors.isEmpty(), example + ": " + errors);
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        invalid(
            "registry name of 4 characters", "registryName", s -> s.put("registryName", "abcd")),
        invalid(
            "registry name of 51 characters",
            "registryName",
            s -> s.put("registryName", "a".repeat(51))),
        invalid(
            "registry name with a hyphen",
            "registryName",
            s -> s.put("registryName", "contoso-acr")),
        invalid(
            "subscription that is not a GUID",
            "subscriptionId",
            s -> s.put("subscriptionId", "my-subscription")),
        invalid(
            "unknown replication strategy",
            "replicationStrategy",
            s -> s.put("replicationStrategy", "TripleReplication")),
        invalid(
            "resource group ending with a period",
            "resourceGroup",
            s -> s.put("resourceGroup", "contoso.")),
        invalid(
            "resource group of 91 characters",
            "resourceGroup",
            s -> s.put("resourceGroup", "r".repeat(91))),
        invalid("missing location", "location", s -> s.remove("location")),
        invalid("unknown deletion policy", "deletionPolicy", s -> s.put("deletionPolicy", "Keep")),
        invalid(
            "malformed subnet id",
            "subnetId",
            s -> firstEndpoint(s).put("subnetId", "/subscriptions/x/subnets/private-endpoints")),
        invalid(
            "subnet id pointing at a virtual network, not a subnet",
            "subnetId",
            s ->
                firstEndpoint(s)
                    .put(
                        "subnetId",
                        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                            + "contoso-network/providers/Microsoft.Network/virtualNetworks/hub")),
        invalid(
            "private DNS zone that is not privatelink.azurecr.io",
            "privateDnsZoneId",
            s ->
                firstEndpoint(s)
                    .put(
                        "privateDnsZoneId",
                        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                            + "contoso-network/providers/Microsoft.Network/privateDnsZones/"
                            + "privatelink.blob.core.windows.net")),
        invalid("private endpoint without a name", "name", s -> firstEndpoint(s).remove("name")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void invalidManifestIsRejectedNamingTheField(
      String description, String field, Consumer<ObjectNode> breakSpec) {
    JsonNode manifest =
        CrdFiles.read(CrdFiles.EXAMPLES.resolve("geo-replication-private-endpoint.yaml"));
    breakSpec.accept((ObjectNode) manifest.get("spec"));

    Set<ValidationMessage> errors = SCHEMA.validate(manifest);

    assertFalse(errors.isEmpty(), description + " was accepted");
    String messages = errors.stream().map(ValidationMessage::getMessage).collect(joining());
    assertTrue(messages.contains(field), "message does not name " + field + ": " + messages);
    assertEquals(1, errors.size(), "one mistake should give one error, got: " + messages);
  }

  private static Arguments invalid(
      String description, String field, Consumer<ObjectNode> breakSpec) {
    return Arguments.of(description, field, breakSpec);
  }

  private static ObjectNode firstEndpoint(ObjectNode spec) {
    return (ObjectNode) ((ArrayNode) spec.get("privateEndpoints")).get(0);
  }

  private static Collector<CharSequence, ?, String> joining() {
    return Collectors.joining("; ");
  }
}
