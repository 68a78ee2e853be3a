package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar: prints its two lines, serves HTTPS, and keeps state across a restart. */
class SimulatorJarIT {
  @TempDir Path dataDir;

  @Test
  void jarPrintsEndpointAndCaAndKeepsStateAcrossARestart() throws Exception {
    Path state = dataDir.resolve("state.json");
    String registry =
        "/subscriptions/"
            + Simulator.DEFAULT_SUBSCRIPTION
            + "/resourceGroups/jar-rg/providers/Microsoft.ContainerRegistry/registries/jarregistry1?api-version=2025-11-01";
    int port;
    try (StandaloneSimulator first =
        new StandaloneSimulator(dataDir, "--state-file", state.toString())) {
      System.out.println(
          "standalone simulator: first start printed its endpoint after "
              + first.startMillis
              + " ms");
      assertTrue(first.endpoint.matches("https://127\\.0\\.0\\.1:\\d+/"), first.endpoint);
      assertTrue(Files.readString(first.caCertificate).startsWith("-----BEGIN CERTIFICATE-----"));
      port = first.port();
      ArmHttp arm = new ArmHttp(first.endpoint, first.caCertificate);
      arm.call(
          "PUT",
          "/subscriptions/"
              + Simulator.DEFAULT_SUBSCRIPTION
              + "/resourceGroups/jar-rg?api-version=2024-11-01",
          java.util.Map.of("location", "eastus"));
      assertEquals(
          201,
          arm.call(
                  "PUT",
                  registry,
                  java.util.Map.of(
                      "location", "eastus", "sku", java.util.Map.of("name", "Premium")))
              .status());
      Thread.sleep(1200); // the state file is flushed every 500 ms and at stop
    }
    try (StandaloneSimulator second =
        new StandaloneSimulator(
            dataDir, "--state-file", state.toString(), "--port", Integer.toString(port))) {
      System.out.println(
          "standalone simulator: restart printed its endpoint after " + second.startMillis + " ms");
      ArmHttp arm = new ArmHttp(second.endpoint, second.caCertificate);
      ArmHttp.Response after = arm.call("GET", registry, null);
      assertEquals(200, after.status());
      assertEquals("jarregistry1.azurecr.io", after.body().at("/properties/loginServer").asText());
    }
  }

  /**
   * Azure never forgets what it acknowledged: a simulator killed by SIGKILL right after answering
   * still has every write it answered, though its state file is written only now and then.
   */
  @Test
  void everyAnsweredWriteSurvivesASigkill() throws Exception {
    Path killed = dataDir.resolve("killed");
    Path state = killed.resolve("state.json");
    String group = "/subscriptions/" + Simulator.DEFAULT_SUBSCRIPTION + "/resourceGroups/kill-rg-";
    int port;
    int writes = 20;
    try (StandaloneSimulator first =
        new StandaloneSimulator(killed, "--state-file", state.toString())) {
      port = first.port();
      ArmHttp arm = new ArmHttp(first.endpoint, first.caCertificate);
      for (int i = 0; i < writes; i++) {
        assertEquals(
            201,
            arm.call(
                    "PUT",
                    group + i + "?api-version=2024-11-01",
                    java.util.Map.of("location", "eastus", "tags", java.util.Map.of("n", "" + i)))
                .status());
      }
      first.process.destroyForcibly().waitFor();
      assertEquals(137, first.process.exitValue(), "killed by SIGKILL");
    }
    try (StandaloneSimulator second =
        new StandaloneSimulator(
            killed, "--state-file", state.toString(), "--port", Integer.toString(port))) {
      ArmHttp arm = new ArmHttp(second.endpoint, second.caCertificate);
      for (int i = 0; i < writes; i++) {
        ArmHttp.Response after = arm.call("GET", group + i + "?api-version=2024-11-01", null);
        assertEquals(200, after.status(), "resource group " + i + " answered 201, then forgotten");
        assertEquals("" + i, after.body().at("/tags/n").asText());
      }
    }
  }

  @Test
  void helpDocumentsEveryOption() throws Exception {
    Process help =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                StandaloneSimulator.JAR.toString(),
                "--help")
            .redirectErrorStream(true)
            .start();
    String text = new String(help.getInputStream().readAllBytes());
    assertEquals(0, help.waitFor());
    for (String option :
        new String[] {
          "--port",
          "--state-file",
          "--profile",
          "--time-scale",
          "--client",
          "--subscription",
          "--no-throttling",
          "--data-dir"
        }) {
      assertTrue(text.contains(option), "--help does not mention " + option + ":\n" + text);
    }
  }
}
