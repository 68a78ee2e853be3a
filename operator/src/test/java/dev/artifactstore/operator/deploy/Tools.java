package dev.artifactstore.operator.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** External tools the deployment tests run (installed by .ci/run), and the repository root. */
final class Tools {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  record Result(int exitCode, String output) {}

  static boolean installed(String tool) {
    try {
      Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Makes sure the tool is there: in CI (.ci/run installs it) a missing tool fails the test; on a
   * developer machine it skips the test with a message saying how to install it.
   */
  static void require(String tool, String debianPackage) {
    if (installed(tool)) {
      return;
    }
    String message =
        tool + " is not installed: apt-get install " + debianPackage + " (.ci/run does this)";
    if (System.getenv("CI") != null) {
      throw new AssertionError(message);
    }
    System.err.println("\n*** SKIPPED: " + message + " ***\n");
    Assumptions.abort(message);
  }

  static Result run(Path dir, List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    return new Result(p.exitValue(), out);
  }

  private Tools() {}
}
