package dev.artifactstore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator's {@code run} command as a process of its own, so its CPU time, heap and
 * resident memory are its alone: CPU and RSS from /proc, heap from its own /metrics, scraped every
 * {@link #SCRAPE_EVERY} as Prometheus would (a scrape costs the operator CPU, as in production).
 */
final class OperatorProcess implements AutoCloseable {
  /** Linux reports CPU time in clock ticks of 1/100 s on every architecture Java runs on here. */
  private static final double TICKS_PER_SECOND = 100;

  private final Process process;
  private final Instant spawned;
  private final int metricsPort;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  /** How often heap is scraped: as often as Prometheus with the chart's ServiceMonitor. */
  static final Duration SCRAPE_EVERY = Duration.ofSeconds(30);

  private Instant scraped = Instant.MIN;
  private long heapUsed = -1;

  /** One look at the process. */
  record Sample(Instant at, double cpuSeconds, long rssBytes, long heapUsedBytes) {}

  private OperatorProcess(Process process, Instant spawned, int metricsPort, Path log) {
    this.process = process;
    this.spawned = spawned;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  static OperatorProcess start(
      Path jar, List<String> jvmOptions, List<String> arguments, int metricsPort, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    Files.createDirectories(log.getParent());
    Instant spawned = Instant.now();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new OperatorProcess(process, spawned, metricsPort, log);
  }

  Instant spawned() {
    return spawned;
  }

  /** Where its standard output and error go. */
  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** CPU and RSS now; heap as last scraped, scraped again SCRAPE_EVERY after that. */
  synchronized Sample sample() {
    Instant now = Instant.now();
    if (heapUsed < 0 || !now.isBefore(scraped.plus(SCRAPE_EVERY))) {
      // Until its metrics endpoint answers, the process is asked at every sample.
      heapUsed = heapUsedBytes();
      scraped = now;
    }
    return new Sample(now, cpuSeconds(), rssBytes(), heapUsed);
  }

  /** User plus system CPU time so far, from /proc/PID/stat (fields 14 and 15). */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); utime is field 14, stime field 15.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size now (VmRSS), from /proc/PID/status. */
  long rssBytes() {
    return statusKilobytes("VmRSS:") * 1024;
  }

  /** The highest resident set size the process reached (VmHWM). */
  long peakRssBytes() {
    return statusKilobytes("VmHWM:") * 1024;
  }

  private long statusKilobytes(String key) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process is gone.
    }
    return -1;
  }

  /**
   * The bytes of the objects still reachable after a full collection: {@code jcmd PID
   * GC.class_histogram} collects the whole heap first and totals what is left. Costs the operator
   * one full GC.
   */
  long liveHeapAfterFullGc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process histogram =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String text = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    histogram.waitFor(60, TimeUnit.SECONDS);
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 3 && fields[0].equals("Total")) {
        return Long.parseLong(fields[2]);
      }
    }
    throw new IOException("jcmd gave no class histogram total: " + text.lines().findFirst());
  }

  /** Heap in use, the sum over the heap pools the operator exports; -1 when it cannot be read. */
  long heapUsedBytes() {
    return Math.round(metricSum("artifactstore_jvm_memory_used_bytes", "area=\"heap\""));
  }

  /** The sum of every series of {@code name} whose labels contain {@code labelPart}. */
  double metricSum(String name, String labelPart) {
    String text = scrape();
    if (text == null) {
      return -1;
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labelPart)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private String scrape() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
