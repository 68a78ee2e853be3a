package dev.artifactstore.simulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the simulated Azure holds: resources by ARM id (ids are case-insensitive, so keys are
 * lower case while documents keep the caller's casing), long-running operations, and bookkeeping
 * that ARM does not expose (address allocations, deletion times). Callers hold its monitor.
 *
 * <p>Kept in a file, it is as durable as Azure: what a request changed is named as it changes
 * ({@link #put}, {@link #changed}, ...) and appended to a write-ahead log by {@link #commit} before
 * the request is answered, so a process killed after answering still has it when started again. The
 * whole state is written to the state file now and then ({@link #saveIfDirty}), after which the log
 * starts again.
 */
public final class ResourceStore {
  private ObjectNode root;
  private boolean dirty;
  // What changed since the last commit: paths into the root ("resources", key), in order.
  private final Set<List<String>> changes = new LinkedHashSet<>();
  private WriteAheadLog log;
  private long sequence;
  // The resources by key, sorted: lists and children are ranges of it, not scans of everything.
  private final TreeMap<String, ObjectNode> sorted = new TreeMap<>();
  // Top-level resources by type ("/providers/microsoft.network/privateendpoints/"), so that what
  // looks at every resource of a type does not look at every resource.
  private final Map<String, TreeMap<String, ObjectNode>> byType = new HashMap<>();

  public ResourceStore() {
    this.root = emptyRoot();
  }

  private static ObjectNode emptyRoot() {
    ObjectNode root = Json.object();
    root.putObject("resources");
    root.putObject("operations");
    root.putObject("internal");
    return root;
  }

  public static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  public ObjectNode get(String id) {
    JsonNode node = resources().get(key(id));
    return node instanceof ObjectNode object ? object : null;
  }

  public void put(String id, ObjectNode document) {
    resources().set(key(id), document);
    index(key(id), document);
    changed(id);
  }

  public ObjectNode remove(String id) {
    changed(id);
    unindex(key(id));
    return (ObjectNode) resources().remove(key(id));
  }

  /** The resource's document was changed in place. */
  public void changed(String id) {
    changes.add(List.of("resources", key(id)));
    dirty = true;
  }

  /** The resource whose document this is was changed in place. */
  public void changed(ObjectNode document) {
    changed(document.get("id").asText());
  }

  /** The operation was started or changed. */
  public void operationChanged(String id) {
    changes.add(List.of("operations", id));
    dirty = true;
  }

  /**
   * The bookkeeping at {@code path} under {@link #internal(String) internal} was set or removed.
   */
  public void internalChanged(String... path) {
    List<String> full = new ArrayList<>(path.length + 1);
    full.add("internal");
    full.addAll(List.of(path));
    changes.add(List.copyOf(full));
    dirty = true;
  }

  private void index(String key, ObjectNode document) {
    sorted.put(key, document);
    String type = typeOf(key);
    if (type != null) {
      byType.computeIfAbsent(type, t -> new TreeMap<>()).put(key, document);
    }
  }

  private void unindex(String key) {
    sorted.remove(key);
    String type = typeOf(key);
    if (type != null && byType.containsKey(type)) {
      byType.get(type).remove(key);
    }
  }

  /**
   * The type of a top-level resource, its id from its last {@code /providers/} up to its name
   * ({@code /providers/microsoft.network/privateendpoints/}); null for anything else.
   */
  static String typeOf(String key) {
    int providers = key.lastIndexOf("/providers/");
    int name = key.lastIndexOf('/') + 1;
    if (providers < 0 || name >= key.length()) {
      return null;
    }
    int namespaceEnd = key.indexOf('/', providers + "/providers/".length());
    int typeEnd = namespaceEnd < 0 ? -1 : key.indexOf('/', namespaceEnd + 1);
    return typeEnd == name - 1 ? key.substring(providers, name) : null;
  }

  /**
   * Every top-level resource of a type ({@code /providers/microsoft.network/privateendpoints/},
   * lower case), in id order.
   */
  public List<ObjectNode> ofType(String type) {
    TreeMap<String, ObjectNode> resources = byType.get(type);
    return resources == null ? List.of() : new ArrayList<>(resources.values());
  }

  /** Removes the resource and everything under it (child resources), returning what was removed. */
  public List<ObjectNode> removeTree(String id) {
    List<String> keys = new ArrayList<>();
    if (sorted.containsKey(key(id))) {
      keys.add(key(id));
    }
    keys.addAll(under(key(id) + "/").keySet());
    List<ObjectNode> removed = new ArrayList<>();
    for (String k : keys) {
      unindex(k);
      removed.add((ObjectNode) resources().remove(k));
      changes.add(List.of("resources", k));
    }
    dirty = true;
    return removed;
  }

  /** Direct children of {@code parentId} in the collection {@code segment}, in id order. */
  public List<ObjectNode> children(String parentId, String segment) {
    String prefix = key(parentId) + "/" + segment.toLowerCase(Locale.ROOT) + "/";
    List<ObjectNode> out = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : under(prefix).entrySet()) {
      if (e.getKey().indexOf('/', prefix.length()) < 0) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /**
   * Whether lower-case {@code id} names a resource of the type whose ids end in {@code typeSegment}
   * and a name ({@code /providers/microsoft.network/privateendpoints/}): a check for filters that
   * run over every resource, so without a regular expression.
   */
  public static boolean isOfType(String id, String typeSegment) {
    int at = id.lastIndexOf(typeSegment);
    int name = at + typeSegment.length();
    return at >= 0 && name < id.length() && id.indexOf('/', name) < 0;
  }

  /** Resources whose lower-case id satisfies the filter, in id order. */
  public List<ObjectNode> list(java.util.function.Predicate<String> keyFilter) {
    List<ObjectNode> out = new ArrayList<>();
    sorted.forEach(
        (k, v) -> {
          if (keyFilter.test(k)) {
            out.add(v);
          }
        });
    return out;
  }

  /** Resources whose lower-case id starts with {@code prefix}, in id order. */
  private Map<String, ObjectNode> under(String prefix) {
    return sorted.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }

  public ObjectNode operations() {
    return (ObjectNode) root.get("operations");
  }

  /**
   * Bookkeeping area {@code name}, created when missing; a change in it is named with {@link
   * #internalChanged}.
   */
  public ObjectNode internal(String name) {
    return Json.child((ObjectNode) root.get("internal"), name);
  }

  private ObjectNode resources() {
    return (ObjectNode) root.get("resources");
  }

  /**
   * Loads the state file, if any, and what the write-ahead log {@code log} holds beyond it; from
   * then on, every {@link #commit} appends to that log.
   */
  public void load(Path file, Path logFile) {
    try {
      if (Files.exists(file)) {
        root = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        for (String field : List.of("resources", "operations", "internal")) {
          Json.child(root, field);
        }
      }
      sequence = root.path("sequence").asLong(0);
      for (WriteAheadLog.Entry entry : WriteAheadLog.read(logFile)) {
        if (entry.sequence() > sequence) {
          entry.changes().forEach(change -> apply(change.path(), change.value()));
          sequence = entry.sequence();
        }
      }
      sorted.clear();
      byType.clear();
      resources().fields().forEachRemaining(e -> index(e.getKey(), (ObjectNode) e.getValue()));
      log = WriteAheadLog.open(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state file " + file + " or its log", e);
    }
  }

  private void apply(List<String> path, JsonNode value) {
    ObjectNode parent = root;
    for (String field : path.subList(0, path.size() - 1)) {
      parent = Json.child(parent, field);
    }
    String last = path.get(path.size() - 1);
    if (value == null || value.isNull()) {
      parent.remove(last);
    } else {
      parent.set(last, value);
    }
  }

  private JsonNode at(List<String> path) {
    JsonNode node = root;
    for (String field : path) {
      node = node.path(field);
    }
    return node.isMissingNode() ? null : node;
  }

  /**
   * Appends what changed since the last commit to the write-ahead log, as it is now: called before
   * a request that may have changed something is answered. Without a log it only forgets.
   */
  public void commit() {
    if (changes.isEmpty()) {
      return;
    }
    if (log != null) {
      List<WriteAheadLog.Change> now = new ArrayList<>(changes.size());
      for (List<String> path : changes) {
        now.add(new WriteAheadLog.Change(path, at(path)));
      }
      log.append(new WriteAheadLog.Entry(++sequence, now));
    }
    changes.clear();
  }

  /**
   * Writes the whole state atomically when it changed since the last save, then starts the log
   * again: the state file then holds everything the log held.
   */
  public void saveIfDirty(Path file) {
    commit();
    if (!dirty) {
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      root.put("sequence", sequence);
      Json.MAPPER.writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      if (log != null) {
        log.truncate();
      }
      dirty = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state file " + file, e);
    }
  }

  /** The whole state as a copy, for comparisons. */
  public ObjectNode snapshot() {
    ObjectNode copy = root.deepCopy();
    copy.remove("sequence");
    return copy;
  }

  public void close() {
    if (log != null) {
      log.close();
    }
  }
}
