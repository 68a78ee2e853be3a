package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.ResourceStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a simulator killed now would find when started again from its state file and write-ahead
 * log: exactly what it holds. Checked after each test of the classes that serve many kinds of
 * request, so a change a resource provider made without naming it fails there.
 */
final class StateRecovery {
  static final String STATE_FILE = "state.json";

  private StateRecovery() {}

  static void assertRecoverable(Simulator simulator, Path dataDir) {
    Path stateFile = dataDir.resolve(STATE_FILE);
    // Under the state's lock: no request and no save of the state file runs meanwhile.
    simulator.withState(
        live -> {
          ResourceStore recovered = new ResourceStore();
          recovered.load(stateFile, Simulator.logFile(stateFile));
          recovered.close();
          ObjectNode held = withoutEmptyAreas(live.snapshot());
          ObjectNode found = withoutEmptyAreas(recovered.snapshot());
          assertEquals(
              List.of(),
              differences(held, found, ""),
              "a simulator killed now would not find what it holds, at these paths");
          return null;
        });
  }

  /** The paths, down to a resource or operation, where the two states differ. */
  private static List<String> differences(JsonNode held, JsonNode found, String at) {
    List<String> out = new ArrayList<>();
    if (held.equals(found)) {
      return out;
    }
    if (!(held instanceof ObjectNode) || !(found instanceof ObjectNode)) {
      out.add(at + ": held " + abbreviate(held) + ", found " + abbreviate(found));
      return out;
    }
    Set<String> fields = new TreeSet<>();
    held.fieldNames().forEachRemaining(fields::add);
    found.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      out.addAll(differences(held.path(field), found.path(field), at + "/" + field));
    }
    return out;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** The state without bookkeeping areas that were looked at but hold nothing. */
  private static ObjectNode withoutEmptyAreas(ObjectNode state) {
    prune(state.with("internal"));
    return state;
  }

  private static void prune(ObjectNode node) {
    List<String> empty = new ArrayList<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue() instanceof ObjectNode child) {
                prune(child);
                if (child.isEmpty()) {
                  empty.add(e.getKey());
                }
              }
            });
    node.remove(empty);
  }
}
