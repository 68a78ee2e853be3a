package dev.artifactstore.operator.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jars, run as processes the way a user runs them. */
final class JarProcess {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path OPERATOR = REPO.resolve("operator/target/artifactstore-operator.jar");
  static final Path SIMULATOR = REPO.resolve("simulator/target/artifactstore-simulator.jar");

  record Result(int exitCode, String output) {}

  static Process start(Path jar, Path log, List<String> args) throws Exception {
    return start(jar, log, args, Map.of());
  }

  static Process start(Path jar, Path log, List<String> args, Map<String, String> env)
      throws Exception {
    return start(jar, log, List.of(), args, env);
  }

  /** Starts {@code jar} with these JVM options before {@code -jar}. */
  static Process start(
      Path jar, Path log, List<String> jvmOptions, List<String> args, Map<String, String> env)
      throws Exception {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: these tests run after the package phase");
    }
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Runs the operator jar to completion in the repository root. */
  static Result run(Path log, Duration timeout, String... args) throws Exception {
    Process process = start(OPERATOR, log, List.of(args));
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out after " + timeout + ":\n" + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** Starts the standalone simulator and returns its endpoint and CA file once it printed them. */
  static String[] startSimulator(Path dir, List<Process> started) throws Exception {
    return startSimulator(dir, started, List.of("--port", "0"));
  }

  /** The standalone simulator with these arguments besides its data directory. */
  static String[] startSimulator(Path dir, List<Process> started, List<String> args)
      throws Exception {
    Path log = dir.resolve("simulator.log");
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--data-dir", dir.resolve("sim").toString()));
    Process process = start(SIMULATOR, log, all);
    started.add(process);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(log);
      String endpoint = null;
      String ca = null;
      for (String line : lines) {
        if (line.startsWith("ARM endpoint: ")) {
          endpoint = line.substring("ARM endpoint: ".length());
        }
        if (line.startsWith("CA certificate: ")) {
          ca = line.substring("CA certificate: ".length());
        }
      }
      if (endpoint != null && ca != null) {
        return new String[] {endpoint, ca};
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the simulator did not start:\n" + Files.readString(log));
  }

  static String separator() {
    return File.separator;
  }
}
