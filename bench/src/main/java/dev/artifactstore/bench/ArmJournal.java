package dev.artifactstore.bench;

import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The simulator's journal, read for the requests under a subscription, and counted. */
final class ArmJournal {
  private ArmJournal() {}

  /** The requests since the operator process was spawned, in order. */
  static List<Journal.Entry> operatorRequests(Simulator simulator, Instant spawned) {
    return simulator
        .journal()
        .entries(e -> e.subscription() != null && !e.time().isBefore(spawned));
  }

  /** The requests after the journal's entry {@code sequence}, in order. */
  static List<Journal.Entry> requestsAfter(Simulator simulator, long sequence) {
    return simulator.journal().entries(e -> e.sequence() > sequence && e.subscription() != null);
  }

  static boolean isRead(Journal.Entry e) {
    return e.method().equals("GET");
  }

  static long reads(List<Journal.Entry> entries) {
    return entries.stream().filter(ArmJournal::isRead).count();
  }

  /** Everything but reads: writes and deletes, and any other method. */
  static long others(List<Journal.Entry> entries) {
    return entries.stream().filter(e -> !isRead(e)).count();
  }

  static long throttled(List<Journal.Entry> entries) {
    return entries.stream().filter(e -> e.status() == 429).count();
  }

  /** One line a request, its time in milliseconds since {@code first}. */
  static void writeCsv(List<Journal.Entry> journal, Instant first, Path csv) throws IOException {
    StringBuilder text = new StringBuilder("ms,method,status,path\n");
    for (Journal.Entry e : journal) {
      text.append(Duration.between(first, e.time()).toMillis())
          .append(',')
          .append(e.method())
          .append(',')
          .append(e.status())
          .append(',')
          .append(e.path())
          .append('\n');
    }
    Files.writeString(csv, text);
  }
}
