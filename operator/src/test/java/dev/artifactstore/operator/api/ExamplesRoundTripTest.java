package dev.artifactstore.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesRoundTripTest {
  static Stream<Path> examples() {
    return CrdFiles.examples().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleSurvivesTheJavaModelWithoutLoss(Path example) throws Exception {
    JsonNode original = CrdFiles.read(example);

    ArtifactStore store = CrdFiles.YAML.treeToValue(original, ArtifactStore.class);
    JsonNode written = CrdFiles.YAML.valueToTree(store);

    List<String> lost = new ArrayList<>();
    collectLost(original, written, "", lost);
    assertTrue(lost.isEmpty(), example + " lost " + lost);
    assertEquals(ArtifactStore.GROUP + "/" + ArtifactStore.VERSION, store.getApiVersion());
  }

  /** Every value of the original is present and equal in the copy; defaults may be added. */
  private static void collectLost(JsonNode original, JsonNode copy, String path, List<String> out) {
    if (original.isObject()) {
      original
          .fields()
          .forEachRemaining(
              f -> collectLost(f.getValue(), copy.path(f.getKey()), path + "." + f.getKey(), out));
    } else if (original.isArray()) {
      if (!copy.isArray() || copy.size() != original.size()) {
        out.add(path);
        return;
      }
      for (int i = 0; i < original.size(); i++) {
        collectLost(original.get(i), copy.get(i), path + "[" + i + "]", out);
      }
    } else if (!original.equals(copy)) {
      out.add(path + " (" + original + " became " + copy + ")");
    }
  }
}
