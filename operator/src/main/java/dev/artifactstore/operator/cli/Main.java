package dev.artifactstore.operator.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar artifactstore-operator.jar run|demo}. */
@Command(
    name = "artifactstore-operator",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Geo-resilient artifact stores on Azure Container Registry, declared in Kubernetes.",
    subcommands = {RunCommand.class, DemoCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    boolean verbose = Arrays.asList(args).contains("--verbose");
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof UserError user) {
            command.getErr().println("error: " + user.getMessage());
            return user.exitCode();
          }
          if (verbose) {
            e.printStackTrace(command.getErr());
          } else {
            command.getErr().println("error: " + e + " (run with --verbose for details)");
          }
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"artifactstore-operator " + (version == null ? "development" : version)};
    }
  }
}
