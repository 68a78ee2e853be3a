package dev.artifactstore.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The packaged operator's {@code run} command, pointed at the bench's servers. */
final class OperatorLaunch {
  private OperatorLaunch() {}

  /** The operator's --cluster-id: the first part of its marks. */
  static final String CLUSTER_ID = "bench";

  static OperatorProcess start(Bench.Config config, Path work, Servers servers, PrintStream out)
      throws IOException {
    Path kubeconfig =
        servers.kubernetes().writeKubeconfig(work.resolve("kubeconfig"), Bench.NAMESPACE);
    int metrics = freePort();
    int health = freePort();
    OperatorProcess operator =
        OperatorProcess.start(
            config.operatorJar(),
            config.jvmOptions(),
            List.of(
                "run",
                "--cluster-id",
                CLUSTER_ID,
                "--kubeconfig",
                kubeconfig.toString(),
                "--namespaces",
                Bench.NAMESPACE,
                "--azure-endpoint",
                servers.simulator().endpoint(),
                "--azure-ca-cert",
                servers.simulator().caCertificate().toString(),
                "--metrics-port",
                Integer.toString(metrics),
                "--health-port",
                Integer.toString(health),
                "--bind-address",
                "127.0.0.1",
                "--resync",
                config.resyncPeriod().toSeconds() + "s",
                "--concurrency",
                Integer.toString(config.concurrency())),
            metrics,
            work.resolve("operator.log"));
    out.printf(
        Locale.ROOT,
        "operator started (pid log %s), resync %d s%n",
        operator.log(),
        config.resyncPeriod().toSeconds());
    return operator;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
