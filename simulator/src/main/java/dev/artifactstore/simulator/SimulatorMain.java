package dev.artifactstore.simulator;

import dev.artifactstore.simulator.arm.LatencyProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar artifactstore-simulator.jar --port N}: serves a local ARM until stopped. */
@Command(
    name = "artifactstore-simulator",
    mixinStandardHelpOptions = true,
    version = "artifactstore-simulator 0.1.0",
    description = {
      "A local Azure Resource Manager for the ArtifactStore operator: HTTPS on 127.0.0.1, an",
      "ADFS-style token endpoint, container registries and replications, virtual networks,",
      "private endpoints, private DNS, long-running operations, ARM throttling and faults.",
      "The real Azure SDK and Azure CLI talk to it. Faults and the request journal are under",
      "https://127.0.0.1:PORT/_simulator/ (journal, resources, faults, faults/requests, faults/operations,",
      "faults/connections, faults/outage, faults/latency, faults/clear)."
    })
public final class SimulatorMain implements Callable<Integer> {
  @Option(
      names = "--port",
      description = "HTTPS port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port = 8443;

  @Option(names = "--state-file", description = "Persist resources here and reload them at start.")
  Path stateFile;

  @Option(
      names = "--data-dir",
      description =
          "Where the CA, the server certificate and the token key are kept. Default: ${DEFAULT-VALUE}.")
  Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "artifactstore-simulator");

  @Option(
      names = "--profile",
      description =
          "instant (operations done by the first poll) or realistic (Azure-like durations). Default: ${DEFAULT-VALUE}.")
  String profile = "instant";

  @Option(
      names = "--time-scale",
      description =
          "Multiplies realistic durations (0.1: ten times faster). Default: ${DEFAULT-VALUE}.")
  double timeScale = 1.0;

  @Option(
      names = "--client",
      description =
          "ID:SECRET of an accepted client; repeatable. Without it any client is accepted.")
  List<String> clients = new ArrayList<>();

  @Option(
      names = "--subscription",
      description =
          "An extra subscription id; repeatable. 00000000-0000-0000-0000-000000000001 and"
              + " 00000000-0000-0000-0000-000000000002 (connectivity) always exist.")
  List<String> subscriptions = new ArrayList<>();

  @Option(
      names = "--no-throttling",
      description = "Turn off ARM's per-subscription request limits.")
  boolean noThrottling;

  @Option(
      names = "--replica-cooldown-seconds",
      description =
          "How long a deleted replica's region cannot be re-created. Default: ${DEFAULT-VALUE}.")
  long replicaCooldownSeconds = 30;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimulatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Simulator.Options options =
        Simulator.options()
            .port(port)
            .dataDir(dataDir)
            .stateFile(stateFile)
            .profile(LatencyProfile.parse(profile, timeScale))
            .throttling(!noThrottling)
            .replicaCooldown(java.time.Duration.ofSeconds(replicaCooldownSeconds));
    for (String client : clients) {
      int colon = client.indexOf(':');
      if (colon <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--client needs ID:SECRET, got " + client);
      }
      options.client(client.substring(0, colon), client.substring(colon + 1));
    }
    subscriptions.forEach(options::subscription);
    Simulator simulator = Simulator.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                }));
    System.out.println("ARM endpoint: " + simulator.endpoint());
    System.out.println("CA certificate: " + simulator.caCertificate().toAbsolutePath());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
