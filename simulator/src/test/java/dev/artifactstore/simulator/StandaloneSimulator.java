package dev.artifactstore.simulator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged simulator jar, started as its own process the way a user starts it. */
final class StandaloneSimulator implements AutoCloseable {
  static final Path JAR = Path.of("target", "artifactstore-simulator.jar");

  final Process process;
  final String endpoint;
  final Path caCertificate;
  final long startMillis;

  StandaloneSimulator(Path dataDir, String... extraArgs) throws Exception {
    Files.createDirectories(dataDir);
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: integration tests run after the package phase");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--data-dir",
                dataDir.toString()));
    command.addAll(List.of(extraArgs));
    if (!command.contains("--port")) {
      command.addAll(List.of("--port", "0"));
    }
    long started = System.nanoTime();
    process =
        new ProcessBuilder(command).redirectError(dataDir.resolve("stderr.txt").toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String endpointLine = out.readLine();
    String caLine = out.readLine();
    startMillis = (System.nanoTime() - started) / 1_000_000;
    if (endpointLine == null
        || caLine == null
        || !endpointLine.startsWith("ARM endpoint: ")
        || !caLine.startsWith("CA certificate: ")) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "unexpected output: "
              + endpointLine
              + " / "
              + caLine
              + "; stderr: "
              + Files.readString(dataDir.resolve("stderr.txt")));
    }
    endpoint = endpointLine.substring("ARM endpoint: ".length());
    caCertificate = Path.of(caLine.substring("CA certificate: ".length()));
  }

  int port() {
    return Integer.parseInt(endpoint.replaceAll(".*:(\\d+)/$", "$1"));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
