package dev.artifactstore.bench;

import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.LatencyProfile;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulator, with ARM's throttling on, and the Kubernetes mock API server, both in this
 * process: the operator under measurement is the only process of its own.
 */
final class Servers implements AutoCloseable {
  /**
   * The mock API server logs every request it answers; the bench prints its own progress. Held, so
   * that the logger keeps its level (java.util.logging holds loggers weakly).
   */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final Simulator simulator;
  private final EmbeddedKubernetes kubernetes;

  private Servers(Simulator simulator, EmbeddedKubernetes kubernetes) {
    this.simulator = simulator;
    this.kubernetes = kubernetes;
  }

  /**
   * The simulator and the API server; a {@code durable} simulator keeps its state in a file, every
   * write logged before it is answered, as the standalone simulator with {@code --state-file}.
   */
  static Servers start(
      Path simulatorData, LatencyProfile profile, Subscriptions subscriptions, boolean durable) {
    Simulator.Options options =
        Simulator.options().port(0).dataDir(simulatorData).profile(profile).throttling(true);
    if (durable) {
      options.stateFile(simulatorData.resolve("state.json"));
    }
    subscriptions.ids().forEach(options::subscription);
    Simulator simulator = Simulator.start(options);
    try {
      return new Servers(simulator, EmbeddedKubernetes.start());
    } catch (RuntimeException | Error e) {
      simulator.close();
      throw e;
    }
  }

  Simulator simulator() {
    return simulator;
  }

  EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /** The API server first, as it was started last. */
  @Override
  public void close() {
    try {
      kubernetes.close();
    } finally {
      simulator.close();
    }
  }
}
