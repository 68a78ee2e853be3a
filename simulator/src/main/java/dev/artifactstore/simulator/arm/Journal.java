package dev.artifactstore.simulator.arm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every request the simulator answered, in order; tests assert on it. */
public final class Journal {
  /** One answered request. */
  public record Entry(
      long sequence,
      Instant time,
      String method,
      String path,
      String apiVersion,
      int status,
      String namespace,
      String resourceType,
      String subscription,
      long micros,
      String errorCode,
      String client) {

    public boolean isWrite() {
      return method.equals("PUT") || method.equals("PATCH") || method.equals("POST");
    }

    public boolean isDelete() {
      return method.equals("DELETE");
    }

    /** "PUT Microsoft.ContainerRegistry/registries/replications 201" */
    public String kind() {
      return method + " " + (resourceType == null ? path : resourceType);
    }
  }

  private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicLong sequence =
      new java.util.concurrent.atomic.AtomicLong();

  void record(
      Instant time,
      String method,
      String path,
      String apiVersion,
      int status,
      String namespace,
      String resourceType,
      String subscription,
      long micros,
      String errorCode,
      String client) {
    entries.add(
        new Entry(
            sequence.incrementAndGet(),
            time,
            method,
            path,
            apiVersion,
            status,
            namespace,
            resourceType,
            subscription,
            micros,
            errorCode,
            client));
  }

  public List<Entry> entries() {
    return new ArrayList<>(entries);
  }

  public List<Entry> entries(Predicate<Entry> filter) {
    return entries.stream().filter(filter).toList();
  }

  /** Counts by {@link Entry#kind()}. */
  public Map<String, Long> countsByKind() {
    Map<String, Long> counts = new TreeMap<>();
    for (Entry e : entries) {
      counts.merge(e.kind(), 1L, Long::sum);
    }
    return counts;
  }

  public long sequence() {
    return sequence.get();
  }

  public void clear() {
    entries.clear();
  }
}
