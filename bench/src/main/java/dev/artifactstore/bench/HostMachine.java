package dev.artifactstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the run was on, so that runs on different machines are not compared blindly. */
final class HostMachine {
  private HostMachine() {}

  static Result.Machine describe(List<String> operatorJvmOptions) {
    long memory = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // Not Linux: left unknown.
    }
    return new Result.Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        operatorJvmOptions);
  }
}
