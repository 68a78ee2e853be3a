package dev.artifactstore.operator.azure;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments at which the process can be made to die as if SIGKILLed, for tests only: after an
 * ARM write answers and before anything else (the status write that records it above all), after an
 * adopted resource's mark is written, and between two deletes of a deletion. A test starts the
 * operator with {@code -Dartifactstore.halt-at=NAME} (or {@code NAME@N}: the N-th time the point is
 * reached); the process then halts with exit code 137 (as a SIGKILL) without running shutdown hooks
 * or finishing anything. Production never sets the property, and then every call here is a
 * comparison with null.
 */
public final class HaltPoints {
  public static final String PROPERTY = "artifactstore.halt-at";

  /** The exit code of a halted process, that of a process killed by SIGKILL. */
  public static final int EXIT_CODE = 137;

  /** Every point, by name. */
  public static final Set<String> ALL =
      Set.of(
          "registry-create",
          "registry-update",
          "registry-retag",
          "registry-delete",
          "replica-create",
          "replica-retag",
          "replica-delete",
          "connection-approve",
          "endpoint-create",
          "endpoint-reapply",
          "endpoint-delete",
          "zone-group-put",
          "record-put",
          "record-delete",
          "adopted-marked",
          "between-deletes");

  private static final String AT = System.getProperty(PROPERTY);
  private static final String NAME = AT == null ? null : AT.split("@")[0];
  private static final int NTH =
      AT == null || !AT.contains("@") ? 1 : Integer.parseInt(AT.split("@")[1]);
  private static final AtomicInteger REACHED = new AtomicInteger();

  static {
    if (NAME != null && !ALL.contains(NAME)) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + " names no halt point: " + NAME + "; one of " + ALL);
    }
  }

  private HaltPoints() {}

  /** Halts here when the process was told to halt at {@code point}. */
  public static void reached(String point) {
    if (NAME == null || !NAME.equals(point) || REACHED.incrementAndGet() != NTH) {
      return;
    }
    System.err.println("halt point " + point + " reached: halting");
    System.err.flush();
    Runtime.getRuntime().halt(EXIT_CODE);
  }

  /** {@code answer}, once the point after the write that gave it was passed. */
  static <T> T after(String point, T answer) {
    reached(point);
    return answer;
  }
}
