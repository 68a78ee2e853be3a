package dev.artifactstore.operator.cli;

import picocli.CommandLine.Option;

/** Options every command has. */
public final class CommonOptions {
  @Option(
      names = "--log-format",
      defaultValue = "${env:ARTIFACTSTORE_LOG_FORMAT:-text}",
      description = "text or json. Env: ARTIFACTSTORE_LOG_FORMAT. Default: ${DEFAULT-VALUE}.")
  String logFormat;

  @Option(
      names = "--verbose",
      defaultValue = "${env:ARTIFACTSTORE_VERBOSE:-false}",
      description = "Debug logs and stack traces on errors. Env: ARTIFACTSTORE_VERBOSE.")
  boolean verbose;
}
