package dev.artifactstore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Argo CD health check, run by Lua 5.1 (Argo CD's dialect) on a sample of every state. */
class ArgoCdHealthTest {
  static final Path DIR = Tools.REPO.resolve("examples/gitops/argocd");

  @Test
  void healthScriptGivesEachStateItsHealth() throws Exception {
    Tools.require("lua5.1", "lua5.1");
    Tools.Result result = Tools.run(DIR, List.of("lua5.1", "health_test.lua"));
    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("7 passed, 0 failed"), result.output());
  }

  @Test
  void argocdConfigMapCarriesTheTestedScript() throws Exception {
    JsonNode cm =
        new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("argocd-cm.yaml").toFile());
    String embedded =
        cm.at("/data/resource.customizations.health.artifactstore.dev_ArtifactStore").asText();
    assertEquals(Files.readString(DIR.resolve("health.lua")).strip(), embedded.strip());
  }
}
