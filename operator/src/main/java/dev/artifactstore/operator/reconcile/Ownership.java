package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.api.RegistryStatus;
import dev.artifactstore.operator.api.ReplicaStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one place that answers, before a write or a delete, "is this resource ours, adopted, or
 * someone else's?". The mark is the Azure tag {@code artifactstoreowner} (tag names cannot hold
 * '/') with the value {@code <clusterId>/<namespace>/<name>/<created|adopted>}.
 */
final class Ownership {
  static final String TAG = "artifactstoreowner";

  /** Lets a store take over what a store of the same namespace and name marked in that cluster. */
  static final String TAKE_OVER_ANNOTATION = "artifactstore.dev/take-over-from-cluster";

  enum How {
    created,
    adopted
  }

  /** A store's mark on a resource. */
  record Mark(String cluster, String namespace, String name, How how) {
    String value() {
      return cluster + "/" + namespace + "/" + name + "/" + how;
    }

    String owner() {
      return namespace + "/" + name + " in cluster " + cluster;
    }

    static Optional<Mark> parse(String value) {
      String[] parts = value == null ? new String[0] : value.split("/");
      if (parts.length != 4) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Mark(parts[0], parts[1], parts[2], How.valueOf(parts[3])));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /** What a resource's tags say of its owner, from this store's point of view. */
  enum Verdict {
    /** Marked by this store, in this cluster. */
    OURS,
    /** Carries no mark (or one this operator cannot read). */
    UNMARKED,
    /** Marked by this store's namespace and name in another cluster, which it may take over. */
    TAKE_OVER,
    /** Marked by another store, or by this one in another cluster it was not told to take over. */
    FOREIGN
  }

  private Ownership() {}

  static Optional<Mark> markOf(Map<String, String> tags) {
    return Mark.parse(tags.get(TAG));
  }

  static Verdict of(StoreContext ctx, Map<String, String> tags) {
    Optional<Mark> mark = markOf(tags);
    if (mark.isEmpty()) {
      return Verdict.UNMARKED;
    }
    Mark m = mark.get();
    String namespace = ctx.store.getMetadata().getNamespace();
    String name = ctx.store.getMetadata().getName();
    if (!m.namespace().equals(namespace) || !m.name().equals(name)) {
      return Verdict.FOREIGN;
    }
    if (m.cluster().equals(ctx.clusterId)) {
      return Verdict.OURS;
    }
    Map<String, String> annotations = ctx.store.getMetadata().getAnnotations();
    return annotations != null && m.cluster().equals(annotations.get(TAKE_OVER_ANNOTATION))
        ? Verdict.TAKE_OVER
        : Verdict.FOREIGN;
  }

  /** What a store may do with an existing resource before it writes it. */
  sealed interface Claim {
    /** This store's already: it is written as read, its mark kept. */
    record Owned(How how) implements Claim {}

    /** The store may have it: it is marked {@code how} before anything else is written. */
    record MarkAs(How how) implements Claim {}

    /** Another store's (or this one's in a cluster it was not told to take over from). */
    record Foreign(Mark owner) implements Claim {}

    /** Unmarked, not built by this store, and the store was not told to adopt. */
    record AdoptionRequired() implements Claim {}
  }

  /**
   * The one answer every write of an existing registry, replica or endpoint goes by. {@code
   * builtHere}: the resource is unmarked because this store built it before marks existed.
   */
  static Claim claim(StoreContext ctx, Map<String, String> tags, boolean builtHere) {
    return switch (of(ctx, tags)) {
      case OURS -> new Claim.Owned(markOf(tags).orElseThrow().how());
      case TAKE_OVER -> new Claim.MarkAs(markOf(tags).orElseThrow().how());
      case FOREIGN -> new Claim.Foreign(markOf(tags).orElseThrow());
      case UNMARKED ->
          builtHere
              ? new Claim.MarkAs(How.created)
              : ctx.store.getSpec().isAdoptExisting()
                  ? new Claim.MarkAs(How.adopted)
                  : new Claim.AdoptionRequired();
    };
  }

  /**
   * The answer for an A record set the store's endpoints need ({@code null} metadata: there is none
   * yet, and the store creates it). An unmarked one was written by an endpoint's zone group or by
   * hand for this store's registry: the store adopts it without being asked, as writing the
   * registry's names into the zone the spec names is what the store is for; it is never deleted.
   */
  static Claim claimRecord(StoreContext ctx, Map<String, String> metadata) {
    if (metadata == null) {
      return new Claim.MarkAs(How.created);
    }
    Claim claim = claim(ctx, metadata, false);
    return claim instanceof Claim.AdoptionRequired ? new Claim.MarkAs(How.adopted) : claim;
  }

  /** Whether the owner named by a mark is this store's namespace and name (another cluster). */
  static boolean sameStore(StoreContext ctx, Mark owner) {
    return owner.namespace().equals(ctx.store.getMetadata().getNamespace())
        && owner.name().equals(ctx.store.getMetadata().getName());
  }

  /** How a store that finds {@code owner}'s mark may still get the resource, if at all. */
  static String takeOverHint(StoreContext ctx, Mark owner) {
    return sameStore(ctx, owner)
        ? " or annotate the store with "
            + TAKE_OVER_ANNOTATION
            + "="
            + owner.cluster()
            + " to take it over from that cluster"
        : "";
  }

  /**
   * Whether an unmarked resource was built by this store before marks existed: the store does not
   * adopt, and its status records the resource. The version before marks deleted what status
   * recorded, so under Delete it still goes. For the registry the status must also have found it
   * ready: a store stalled on an unmarked registry records it too.
   */
  static boolean builtBeforeMarks(StoreContext ctx, String id, Set<String> recorded) {
    return !ctx.store.getSpec().isAdoptExisting() && recorded.contains(id.toLowerCase(Locale.ROOT));
  }

  static boolean registryBuiltBeforeMarks(StoreContext ctx, String id) {
    RegistryStatus primary = ctx.previous.getPrimary();
    Condition ready = Conditions.find(ctx.previous.getConditions(), Conditions.PRIMARY_READY);
    return primary != null
        && primary.getResourceId() != null
        && ready != null
        && "True".equals(ready.getStatus())
        && builtBeforeMarks(ctx, id, Set.of(primary.getResourceId().toLowerCase(Locale.ROOT)));
  }

  /**
   * Whether this store created the resource: its mark says so, or it carries none and the status
   * records it (built before marks existed, when Delete deleted what the status recorded).
   */
  static boolean created(
      StoreContext ctx, Map<String, String> tags, String id, Set<String> recorded) {
    return switch (of(ctx, tags)) {
      case OURS -> markOf(tags).orElseThrow().how() == How.created;
      case UNMARKED -> builtBeforeMarks(ctx, id, recorded);
      default -> false;
    };
  }

  /** This store's mark, saying how it came to own the resource. */
  static Mark mark(StoreContext ctx, How how) {
    return new Mark(
        ctx.clusterId,
        ctx.store.getMetadata().getNamespace(),
        ctx.store.getMetadata().getName(),
        how);
  }

  /** {@code tags} with {@code mark} in them, everything else kept. */
  static Map<String, String> marked(Map<String, String> tags, Mark mark) {
    Map<String, String> out = new HashMap<>(tags);
    out.put(TAG, mark.value());
    return out;
  }

  /** {@code tags} without any mark. */
  static Map<String, String> released(Map<String, String> tags) {
    Map<String, String> out = new HashMap<>(tags);
    out.remove(TAG);
    return out;
  }

  /** A new resource's tags: this store's mark, created. */
  static Map<String, String> created(StoreContext ctx) {
    return Map.of(TAG, mark(ctx, How.created).value());
  }

  /** The replicas this store's status records, by id (lower case). */
  static Set<String> recordedReplicas(StoreContext ctx) {
    return ids(ctx.previous.getReplicas().stream().map(ReplicaStatus::getResourceId));
  }

  /** The endpoints this store's status records, by id (lower case). */
  static Set<String> recordedEndpoints(StoreContext ctx) {
    return ids(
        ctx.previous.getPrivateEndpoints().stream().map(PrivateEndpointStatus::getResourceId));
  }

  private static Set<String> ids(Stream<String> ids) {
    return ids.filter(Objects::nonNull)
        .map(id -> id.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet());
  }
}
