package dev.artifactstore.operator.cli;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row per store: strategy, primary, replica, endpoint DNS, Ready and the current reason.
 * Redrawn in place on a terminal; one line per change otherwise (CI logs, pipes).
 */
final class ProgressView {
  private static final String FORMAT = "%-22s %-18s %-16s %-20s %-16s %-6s %s";
  private final PrintStream out;
  private final boolean terminal;
  private final Map<String, String> lastRow = new HashMap<>();
  private int drawnLines;

  ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static String row(ArtifactStore s) {
    String strategy =
        s.getSpec().getReplicationStrategy() == null
            ? "SingleReplication"
            : s.getSpec().getReplicationStrategy().toString();
    String replica = "-";
    if (s.getStatus() != null && !s.getStatus().getReplicas().isEmpty()) {
      var r = s.getStatus().getReplicas().get(0);
      replica =
          r.getRegion()
              + " "
              + (r.getDisplayStatus() == null ? r.getProvisioningState() : r.getDisplayStatus());
    } else if (s.getSpec().getReplicationStrategy() != null
        && s.getSpec().getReplicationStrategy().toString().startsWith("Geo")) {
      replica = "pending";
    }
    Condition dns = condition(s, Conditions.DNS_READY);
    Condition ready = condition(s, Conditions.READY);
    String primary =
        s.getStatus() != null && s.getStatus().getPrimary() != null
            ? s.getStatus().getPrimary().getRegion()
                + " "
                + abbreviate(s.getStatus().getPrimary().getProvisioningState())
            : s.getSpec().getLocation();
    return String.format(
        FORMAT,
        s.getMetadata().getName(),
        strategy,
        primary,
        replica,
        dns == null ? "-" : dns.getReason(),
        ready == null ? "-" : ready.getStatus(),
        ready == null ? "Pending" : ready.getReason());
  }

  private static String abbreviate(String state) {
    return state == null ? "" : state;
  }

  static Condition condition(ArtifactStore s, String type) {
    return s.getStatus() == null ? null : Conditions.find(s.getStatus().getConditions(), type);
  }

  void show(List<ArtifactStore> stores) {
    List<String> rows = new ArrayList<>();
    for (ArtifactStore s : stores) {
      rows.add(row(s));
    }
    if (terminal) {
      StringBuilder frame = new StringBuilder();
      if (drawnLines > 0) {
        frame.append("\033[").append(drawnLines).append('F');
      }
      frame
          .append("\033[2K")
          .append(
              String.format(
                  FORMAT,
                  "STORE",
                  "STRATEGY",
                  "PRIMARY",
                  "REPLICA",
                  "ENDPOINT DNS",
                  "READY",
                  "REASON"))
          .append('\n');
      for (String row : rows) {
        frame.append("\033[2K").append(row).append('\n');
      }
      out.print(frame);
      out.flush();
      drawnLines = rows.size() + 1;
      return;
    }
    if (lastRow.isEmpty()) {
      out.println(
          String.format(
              FORMAT,
              "STORE",
              "STRATEGY",
              "PRIMARY",
              "REPLICA",
              "ENDPOINT DNS",
              "READY",
              "REASON"));
    }
    for (int i = 0; i < stores.size(); i++) {
      String name = stores.get(i).getMetadata().getName();
      if (!rows.get(i).equals(lastRow.get(name))) {
        lastRow.put(name, rows.get(i));
        out.println(rows.get(i));
      }
    }
    out.flush();
  }
}
