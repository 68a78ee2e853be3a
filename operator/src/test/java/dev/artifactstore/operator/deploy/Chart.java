package dev.artifactstore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Helm chart, rendered by Helm's own library as release "astore" in "artifactstore-system". */
final class Chart {
  static final Path CHART = Tools.REPO.resolve("helm/artifactstore-operator");
  static final String RELEASE_NAMESPACE = "artifactstore-system";
  static final String SERVICE_ACCOUNT = "astore-artifactstore-operator";

  private Chart() {}

  /** The objects {@code helm template} renders with these values (--set style keys). */
  static List<HasMetadata> render(Map<String, Object> values) {
    var template = new Helm(CHART).template().withName("astore").withNamespace(RELEASE_NAMESPACE);
    values.forEach(template::set);
    String yaml = template.call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed = Serialization.unmarshal(doc);
        assertTrue(parsed instanceof HasMetadata, "not a Kubernetes object:\n" + doc);
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
