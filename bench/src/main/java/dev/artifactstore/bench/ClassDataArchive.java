package dev.artifactstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class-data archive the container image ships next to the operator's jar: made by one training
 * run of {@code demo --exit-when-ready} with {@code -XX:ArchiveClassesAtExit}, used with {@code
 * -XX:SharedArchiveFile}, so the JVM maps the operator's classes instead of loading them one by one
 * at start. Built again when the jar is newer than the archive.
 */
final class ClassDataArchive {
  private ClassDataArchive() {}

  /** The archive for {@code jar}, made first if missing or stale. */
  static Path forJar(Path jar, List<String> jvmOptions, PrintStream out)
      throws IOException, InterruptedException {
    String file = jar.getFileName().toString().replaceFirst("\\.jar$", "") + ".jsa";
    Path archive = jar.resolveSibling(file);
    if (Files.isRegularFile(archive)
        && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
      return archive;
    }
    out.println("making the class-data archive " + archive + " with one demo run");
    Files.deleteIfExists(archive);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.addAll(List.of("-jar", jar.toString(), "demo", "--exit-when-ready", "--timeout", "3m"));
    Path log = Files.createTempFile("artifactstore-cds", ".log");
    Process training =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!training.waitFor(5, TimeUnit.MINUTES) || training.exitValue() != 0) {
      training.destroyForcibly();
      throw new IllegalStateException("the training run failed; its output is in " + log);
    }
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the training run left no archive; see " + log);
    }
    return archive;
  }
}
