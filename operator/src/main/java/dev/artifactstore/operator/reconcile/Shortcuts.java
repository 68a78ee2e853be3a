package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.PendingOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a store may send without reading first, because this process recorded a moment ago what
 * makes the read needless: a write its budget held back after the read that decided it, or a
 * registry it is creating (which has no replica yet). Each is used once.
 *
 * <p>The status records them too, but a status can be older than what happened since: the process
 * died, or the status write failed, after the write went out. Only this process knows it has not
 * used one yet; a new process, or this one a second time, reads first, and never sends the same
 * write twice.
 */
class Shortcuts {
  /** How long an unused one is kept: a store deleted meanwhile never uses its own. */
  private static final Duration KEPT = Duration.ofHours(1);

  private final Map<String, Instant> issued = new ConcurrentHashMap<>();

  /** Trusts every record, as a store's steps do when tested alone. */
  static final Shortcuts TRUSTING =
      new Shortcuts() {
        @Override
        void issue(ArtifactStore store, PendingOperation record, Instant now) {}

        @Override
        boolean use(ArtifactStore store, PendingOperation record) {
          return record != null;
        }
      };

  /** This process recorded {@code record} for the store and has not acted on it yet. */
  void issue(ArtifactStore store, PendingOperation record, Instant now) {
    if (issued.size() > 1000) {
      issued.values().removeIf(at -> at.isBefore(now.minus(KEPT)));
    }
    issued.put(key(store, record), now);
  }

  /** Whether the write {@code record} stands for may go out unread: once, and only from here. */
  boolean use(ArtifactStore store, PendingOperation record) {
    return record != null && issued.remove(key(store, record)) != null;
  }

  private static String key(ArtifactStore store, PendingOperation record) {
    return store.getMetadata().getUid()
        + "|"
        + store.getMetadata().getNamespace()
        + "/"
        + store.getMetadata().getName()
        + "|"
        + record.getStep()
        + "|"
        + (record.getResourceId() == null ? "" : record.getResourceId().toLowerCase(Locale.ROOT))
        + "|"
        + record.getStartedAt();
  }
}
