package dev.artifactstore.simulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper and a few tree helpers. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** {@code node.at(path)} as text, or null when absent. */
  public static String text(JsonNode node, String pointer) {
    JsonNode value = node == null ? null : node.at(pointer);
    return value == null || value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  /** The object at {@code field}, created when missing. */
  public static ObjectNode child(ObjectNode node, String field) {
    JsonNode existing = node.get(field);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    return node.putObject(field);
  }

  public static ArrayNode childArray(ObjectNode node, String field) {
    JsonNode existing = node.get(field);
    if (existing instanceof ArrayNode array) {
      return array;
    }
    return node.putArray(field);
  }

  private Json() {}
}
