package dev.artifactstore.operator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.logging.ConsoleHandler;
import java.util.logging.LogManager;
import org.slf4j.LoggerFactory;

/** Switches logging to JSON lines or to debug, as the command line says. */
final class Logs {
  private Logs() {}

  static void configure(CommonOptions options) {
    // Libraries that log through java.util.logging (the embedded API server) keep to warnings.
    LogManager.getLogManager().reset();
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("");
    jul.setLevel(options.verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(java.util.logging.Level.ALL);
    jul.addHandler(console);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if ("json".equalsIgnoreCase(options.logFormat)) {
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setTarget("System.err");
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.start();
      appender.setEncoder(encoder);
      appender.start();
      root.detachAndStopAllAppenders();
      root.addAppender(appender);
    } else if (!"text".equalsIgnoreCase(options.logFormat)) {
      throw new UserError("--log-format must be text or json, got " + options.logFormat + ".");
    }
    if (options.verbose) {
      context.getLogger("dev.artifactstore").setLevel(Level.DEBUG);
    }
  }

  static void quiet(String logger) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(logger).setLevel(Level.WARN);
  }
}
