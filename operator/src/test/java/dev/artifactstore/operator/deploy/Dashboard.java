package dev.artifactstore.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard file and the PromQL its panels and variables send to Prometheus. */
final class Dashboard {
  static final Path FILE = Tools.REPO.resolve("dashboards/artifactstore-operator.json");
  static final Path CHART_COPY =
      Tools.REPO.resolve("helm/artifactstore-operator/files/artifactstore-operator.json");

  /** Grafana's own variables, with the values Grafana would send for a 1 m scrape interval. */
  static final Map<String, String> BUILT_IN =
      Map.of("__rate_interval", "2m", "__interval", "1m", "__range", "1h");

  /** One query: where it comes from (panel title and refId, or variable) and its PromQL. */
  record Query(String source, String expr) {}

  static JsonNode json() throws Exception {
    return new ObjectMapper().readTree(Files.readString(FILE));
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  /**
   * The PromQL of every panel target, and the series selector of every label_values() variable
   * query, with the dashboard's variables replaced by {@code values} (Grafana's own by {@link
   * #BUILT_IN}). A variable without a value fails, so a new one cannot slip past the checks.
   */
  static List<Query> queries(Map<String, String> values) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(BUILT_IN);
    all.putAll(values);
    JsonNode dashboard = json();
    List<Query> out = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        out.add(
            new Query(
                panel.path("title").asText() + " / " + target.path("refId").asText(),
                substitute(target.path("expr").asText(), all)));
      }
    }
    Pattern labelValues = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!variable.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text = query.isTextual() ? query.asText() : query.path("query").asText();
      Matcher m = labelValues.matcher(text);
      if (!m.matches()) {
        throw new AssertionError(
            "variable " + variable.path("name").asText() + ": not label_values(...): " + text);
      }
      out.add(new Query("variable " + variable.path("name").asText(), substitute(m.group(1), all)));
    }
    return out;
  }

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::\\w+)?\\}|\\$(\\w+)|\\[\\[(\\w+)(?::\\w+)?\\]\\]");

  static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = values.get(name);
      if (value == null) {
        throw new AssertionError("no value for $" + name + " in: " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "atan2",
          "inf",
          "nan");

  /**
   * The metric names a PromQL expression selects: identifiers that are not functions (followed by
   * "("), keywords, label names (in braces or in by/without/on/ignoring lists) or literals, and the
   * values of __name__ matchers.
   */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher byName = Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"").matcher(expr);
    while (byName.find()) {
      names.add(byName.group(1));
    }
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"")
            .replaceAll("\\{[^}]*\\}", " ")
            .replaceAll("\\[[^\\]]*\\]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Matcher id = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?").matcher(bare);
    while (id.find()) {
      String word = id.group(1);
      if (id.group(2) == null && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /** A rules file with one recording rule per query, for promtool check rules. */
  static String recordingRules(List<Query> queries) {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard:query")
          .append(i)
          .append("\n        expr: ")
          .append(yamlString(queries.get(i).expr()))
          .append('\n');
    }
    return rules.toString();
  }

  static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private Dashboard() {}
}
