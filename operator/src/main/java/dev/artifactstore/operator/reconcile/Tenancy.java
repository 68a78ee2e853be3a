package dev.artifactstore.operator.reconcile;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a cluster admin allows the stores of a namespace: whether they may act with the operator's
 * own Azure identity, and which ARM scopes they may touch (the namespace annotation {@value
 * #ALLOWED_SCOPES_ANNOTATION}).
 *
 * @param operatorIdentityNamespaces namespaces whose stores may use the operator's own identity;
 *     {@code *} for every namespace
 * @param requireAllowedScopes whether a namespace without the annotation may touch nothing
 * @param namespaces reads a namespace's annotation
 */
public record Tenancy(
    Set<String> operatorIdentityNamespaces,
    boolean requireAllowedScopes,
    NamespaceAnnotations namespaces) {
  public static final String ALLOWED_SCOPES_ANNOTATION = "artifactstore.dev/allowed-scopes";

  /** A namespace's annotation; null when the namespace has none (or does not exist). */
  public interface NamespaceAnnotations {
    String annotation(String namespace, String key);
  }

  /** Every namespace may use the operator's identity and touch any scope: as before tenancy. */
  public static Tenancy open() {
    return new Tenancy(Set.of("*"), false, (namespace, key) -> null);
  }

  /** A comma-separated list of namespaces, or {@code *}. */
  public static Set<String> namespaces(String csv) {
    return Arrays.stream(csv == null ? new String[0] : csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  boolean mayUseOperatorIdentity(String namespace) {
    return operatorIdentityNamespaces.contains("*")
        || operatorIdentityNamespaces.contains(namespace);
  }

  /** The namespace's allowed scopes annotation, as written; null when it has none. */
  String allowedScopes(String namespace) {
    return namespaces.annotation(namespace, ALLOWED_SCOPES_ANNOTATION);
  }
}
