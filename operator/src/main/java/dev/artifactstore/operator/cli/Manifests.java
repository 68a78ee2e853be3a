package dev.artifactstore.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.artifactstore.operator.api.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * ArtifactStore manifests read from YAML files and checked against the CRD's schema, as admission
 * would check them, before the demo applies them to its API server (which does not validate).
 */
final class Manifests {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final List<String> EXAMPLES =
      List.of(
          "single-replication.yaml",
          "geo-replication.yaml",
          "geo-replication-private-endpoint.yaml");
  private static final String CRD = "META-INF/fabric8/artifactstores.artifactstore.dev-v1.yml";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final JsonSchema schema;

  Manifests() {
    try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(CRD)) {
      JsonNode crd = YAML.readTree(in);
      schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
              .getSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("the CRD is missing from the jar", e);
    }
  }

  /** The examples: from ./examples when run from the repository, else the copies in the jar. */
  List<ArtifactStore> examples() {
    List<ArtifactStore> out = new ArrayList<>();
    for (String name : EXAMPLES) {
      Path local = Path.of("examples", name);
      if (Files.isReadable(local)) {
        out.addAll(load(local));
      } else {
        try (InputStream in =
            Manifests.class.getClassLoader().getResourceAsStream("examples/" + name)) {
          out.addAll(parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  List<ArtifactStore> load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UserError("cannot read manifest " + file + ": " + e.getMessage());
    }
  }

  List<ArtifactStore> parse(String source, String text) {
    List<ArtifactStore> stores = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        if (!"ArtifactStore".equals(doc.path("kind").asText())) {
          throw new UserError(
              source
                  + ": kind is '"
                  + doc.path("kind").asText()
                  + "'; the demo applies ArtifactStore manifests only.");
        }
        Set<ValidationMessage> errors = schema.validate(doc);
        if (!errors.isEmpty()) {
          throw new UserError(
              source
                  + " ("
                  + doc.at("/metadata/name").asText("?")
                  + ") is invalid: "
                  + errors.stream()
                      .map(ValidationMessage::getMessage)
                      .sorted()
                      .collect(Collectors.joining("; ")));
        }
        if (doc.at("/metadata/name").asText().isEmpty()) {
          throw new UserError(source + ": metadata.name is required.");
        }
        String namespace = doc.at("/metadata/namespace").asText();
        if (!namespace.isEmpty() && !NAMESPACE.matcher(namespace).matches()) {
          throw new UserError(
              source
                  + ": metadata.namespace '"
                  + namespace
                  + "' is not a namespace name (lower-case letters, digits and '-', at most 63).");
        }
        stores.add(YAML.treeToValue(doc, ArtifactStore.class));
      }
    } catch (UserError e) {
      throw e;
    } catch (IOException e) {
      throw new UserError(source + " is not valid YAML: " + e.getMessage());
    }
    return stores;
  }
}
