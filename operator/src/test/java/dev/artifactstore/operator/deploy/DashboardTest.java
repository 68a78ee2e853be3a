package dev.artifactstore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard: a Grafana dashboard whose queries are valid PromQL, shipped unchanged in
 * the chart. DashboardIT checks its queries against a running operator's metrics.
 */
class DashboardTest {
  static final Map<String, String> VARIABLES =
      Map.of(
          "job", "artifactstore-operator",
          "namespace", ".*",
          "arm_reads_per_second", "25",
          "arm_writes_per_second", "10");

  @TempDir Path dir;

  @Test
  void isAGrafanaDashboardWithAPrometheusDataSourceVariable() throws Exception {
    JsonNode dashboard = Dashboard.json();
    assertEquals("artifactstore-operator", dashboard.path("uid").asText());
    assertEquals("ArtifactStore operator", dashboard.path("title").asText());
    assertEquals(39, dashboard.path("schemaVersion").asInt());
    JsonNode datasource = dashboard.path("templating").path("list").get(0);
    assertEquals("datasource", datasource.path("name").asText());
    assertEquals("datasource", datasource.path("type").asText());
    assertEquals("prometheus", datasource.path("query").asText());
  }

  @Test
  void everyPanelQueriesTheChosenDataSource() throws Exception {
    JsonNode dashboard = Dashboard.json();
    List<JsonNode> queried = new ArrayList<>();
    for (JsonNode panel : Dashboard.panels(dashboard)) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      queried.add(panel.path("datasource"));
      assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
      panel.path("targets").forEach(t -> queried.add(t.path("datasource")));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queried.add(variable.path("datasource"));
      }
    }
    for (JsonNode datasource : queried) {
      assertEquals("prometheus", datasource.path("type").asText(), datasource.toString());
      assertEquals("${datasource}", datasource.path("uid").asText(), datasource.toString());
    }
  }

  @Test
  void panelsHaveDistinctIdsAndDoNotOverlap() throws Exception {
    List<JsonNode> panels = Dashboard.panels(Dashboard.json());
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      assertTrue(ids.add(panel.path("id").asInt()), "id used twice: " + panel.path("id"));
      JsonNode g = panel.path("gridPos");
      assertTrue(g.path("x").asInt() + g.path("w").asInt() <= 24, panel.path("title").asText());
    }
    for (JsonNode a : panels) {
      for (JsonNode b : panels) {
        if (a != b) {
          assertFalse(
              overlap(a.path("gridPos"), b.path("gridPos")),
              a.path("title").asText() + " overlaps " + b.path("title").asText());
        }
      }
    }
  }

  static boolean overlap(JsonNode a, JsonNode b) {
    return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
  }

  @Test
  void everyQueryIsValidPromQL() throws Exception {
    Tools.require("promtool", "prometheus");
    List<Dashboard.Query> queries = Dashboard.queries(VARIABLES);
    Path rules = dir.resolve("dashboard.rules.yaml");
    Files.writeString(rules, Dashboard.recordingRules(queries));
    Tools.Result result = Tools.run(dir, List.of("promtool", "check", "rules", rules.toString()));
    assertEquals(0, result.exitCode(), result.output() + "\n" + Files.readString(rules));
    assertTrue(
        result.output().contains("SUCCESS: " + queries.size() + " rules found"), result.output());
  }

  @Test
  void everyQueryNamesOnlyTheOperatorsMetrics() throws Exception {
    for (Dashboard.Query query : Dashboard.queries(VARIABLES)) {
      Set<String> names = Dashboard.metricNames(query.expr());
      assertFalse(names.isEmpty(), query.source() + " names no metric: " + query.expr());
      for (String name : names) {
        assertTrue(
            name.startsWith("artifactstore_") || name.equals("up"),
            query.source() + " queries " + name + ", which is not the operator's");
      }
    }
  }

  @Test
  void metricNamesAreTheSelectedSeriesNotFunctionsLabelsOrLiterals() {
    assertEquals(
        Set.of("a_seconds_bucket"),
        Dashboard.metricNames(
            "histogram_quantile(0.99, sum by (le, operation) "
                + "(rate(a_seconds_bucket{job=~\"x\", operation=~\"GET (a|b)\"}[5m] offset 1h)))"));
    assertEquals(
        Set.of("a", "b", "c:rate5m", "d"),
        Dashboard.metricNames(
            "a / on (x) group_left (y) b or sum(c:rate5m) without (z) > bool 1e3"
                + " unless {__name__=\"d\"} and count by (w) (a) == inf"));
    assertEquals(Set.of(), Dashboard.metricNames("vector(1) + time()"));
  }

  @Test
  void theChartCarriesTheDashboardFileUnchanged() throws Exception {
    assertEquals(
        Files.readString(Dashboard.FILE),
        Files.readString(Dashboard.CHART_COPY),
        "helm/artifactstore-operator/files/ is stale: cp dashboards/artifactstore-operator.json"
            + " helm/artifactstore-operator/files/");
  }

  @Test
  void theChartRendersNoDashboardByDefault() {
    assertTrue(dashboards(Chart.render(Map.of())).isEmpty());
    assertTrue(dashboards(Chart.render(Map.of("grafanaDashboard.enabled", false))).isEmpty());
  }

  @Test
  void enabledTheChartRendersTheDashboardAsAConfigMapTheGrafanaSidecarLoads() throws Exception {
    List<ConfigMap> rendered = dashboards(Chart.render(Map.of("grafanaDashboard.enabled", true)));
    assertEquals(1, rendered.size());
    ConfigMap configMap = rendered.get(0);
    assertEquals("artifactstore-system", configMap.getMetadata().getNamespace());
    assertEquals("1", configMap.getMetadata().getLabels().get("grafana_dashboard"));
    assertEquals(
        "artifactstore-operator",
        configMap.getMetadata().getLabels().get("app.kubernetes.io/name"));
    assertEquals(
        Map.of("artifactstore-operator.json", Files.readString(Dashboard.FILE)),
        configMap.getData());
  }

  @Test
  void theDashboardGoesToTheGivenNamespaceWithTheGivenLabelsAndAnnotations() {
    ConfigMap configMap =
        dashboards(
                Chart.render(
                    Map.of(
                        "grafanaDashboard.enabled", true,
                        "grafanaDashboard.namespace", "monitoring",
                        "grafanaDashboard.labels.grafana_dashboard", "artifactstore",
                        "grafanaDashboard.labels.team", "platform",
                        "grafanaDashboard.annotations.grafana_folder", "ArtifactStore")))
            .get(0);
    assertEquals("monitoring", configMap.getMetadata().getNamespace());
    assertEquals("artifactstore", configMap.getMetadata().getLabels().get("grafana_dashboard"));
    assertEquals("platform", configMap.getMetadata().getLabels().get("team"));
    assertEquals(
        Map.of("grafana_folder", "ArtifactStore"), configMap.getMetadata().getAnnotations());
  }

  static List<ConfigMap> dashboards(List<HasMetadata> objects) {
    return Chart.of(objects, ConfigMap.class).stream()
        .filter(
            c ->
                c.getMetadata().getLabels().containsKey("grafana_dashboard")
                    || c.getData().containsKey("artifactstore-operator.json"))
        .toList();
  }
}
