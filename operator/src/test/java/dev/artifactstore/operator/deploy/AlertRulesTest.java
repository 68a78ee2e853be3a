package dev.artifactstore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The alerts, checked and unit-tested by promtool on synthetic series. */
class AlertRulesTest {
  static final Path RULES =
      Tools.REPO.resolve("helm/artifactstore-operator/files/artifactstore.rules.yaml");

  /** Metric names the alerts query. */
  static Set<String> referencedMetrics() throws Exception {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("artifactstore_[a-z_]+").matcher(Files.readString(RULES));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  @Test
  void rulesAreValid() throws Exception {
    Tools.require("promtool", "prometheus");
    Tools.Result result =
        Tools.run(Tools.REPO, List.of("promtool", "check", "rules", RULES.toString()));
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("SUCCESS: 7 rules found"), result.output());
  }

  @Test
  void eachAlertFiresOnItsSeriesAndStaysSilentOnHealthyOnes() throws Exception {
    Tools.require("promtool", "prometheus");
    Tools.Result result =
        Tools.run(
            Tools.REPO.resolve("alerts"),
            List.of("promtool", "test", "rules", "artifactstore.rules.test.yaml"));
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("SUCCESS"), result.output());
  }

  @Test
  void everyAlertHasASummaryADescriptionAndARunbookParagraph() throws Exception {
    String rules = Files.readString(RULES);
    String readme = Files.readString(Tools.REPO.resolve("README.md"));
    Matcher alerts = Pattern.compile("- alert: (\\w+)").matcher(rules);
    int count = 0;
    while (alerts.find()) {
      count++;
      String name = alerts.group(1);
      assertTrue(
          readme.contains("#### " + name), "README has no runbook paragraph '#### " + name + "'");
    }
    assertEquals(7, count);
    assertEquals(count, rules.split("summary:", -1).length - 1);
    assertEquals(count, rules.split("description:", -1).length - 1);
  }
}
