package dev.artifactstore.operator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a service account may do under a set of RBAC objects (a rendered chart), decided as the
 * Kubernetes API server's RBAC authorizer decides it: its request info from the URL, then a rule of
 * a role bound to the account that matches the API group, the resource (and subresource), the verb
 * and, when the rule lists them, the object's name. Every cluster's default bindings of every
 * authenticated user (discovery, self-reviews) count too.
 */
final class Rbac {

  /**
   * A request as the authorizer sees it. {@code namespace} is "" for a cluster-scoped or
   * all-namespaces request; for a Namespace object it is the Namespace's own name, as the API
   * server sets it. {@code resource} is null for a non-resource URL, which {@code name} then holds.
   */
  record Request(
      String verb,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name) {

    /**
     * The request info of "METHOD /path?query": GET of a collection is list (watch with
     * watch=true), GET of an object is get, POST create, PUT update, PATCH patch, DELETE delete (of
     * a collection: deletecollection). A list or watch selecting one object by the field selector
     * metadata.name names it, as the API server does, so a rule listing names may allow it.
     */
    static Request of(String method, String pathAndQuery) {
      int q = pathAndQuery.indexOf('?');
      String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
      String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
      List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
      String group;
      List<String> rest;
      if (parts.size() >= 3 && parts.get(0).equals("api")) {
        group = "";
        rest = parts.subList(2, parts.size());
      } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
        group = parts.get(1);
        rest = parts.subList(3, parts.size());
      } else {
        return new Request(method.toLowerCase(Locale.ROOT), null, null, null, "", path);
      }
      String namespace = "";
      if (rest.get(0).equals("namespaces") && rest.size() >= 2) {
        namespace = rest.get(1);
        // A Namespace object's own subresources (status, finalize) stay on "namespaces".
        if (rest.size() >= 3 && !Set.of("status", "finalize").contains(rest.get(2))) {
          rest = rest.subList(2, rest.size());
        }
      }
      String resource = rest.get(0);
      String name = rest.size() >= 2 ? rest.get(1) : "";
      String subresource = rest.size() >= 3 ? rest.get(2) : "";
      String verb =
          switch (method) {
            case "GET", "HEAD" -> {
              if (!name.isEmpty()) {
                yield "get";
              }
              yield param(query, "watch").filter(w -> w.equals("true") || w.equals("1")).isPresent()
                  ? "watch"
                  : "list";
            }
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase(Locale.ROOT);
          };
      if (name.isEmpty() && (verb.equals("list") || verb.equals("watch"))) {
        name =
            param(query, "fieldSelector")
                .filter(s -> s.startsWith("metadata.name=") && !s.contains(","))
                .map(s -> s.substring("metadata.name=".length()))
                .orElse("");
      }
      return new Request(verb, group, resource, subresource, namespace, name);
    }

    private static Optional<String> param(String query, String key) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals(key)) {
          return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return Optional.empty();
    }

    /** "resource" or "resource/subresource", as RBAC rules name it. */
    String resourcePath() {
      return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
      if (resource == null) {
        return verb + " " + name;
      }
      return verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resourcePath()
          + (namespace.isEmpty() ? "" : " in " + namespace)
          + (name.isEmpty() ? "" : " named " + name);
    }
  }

  /**
   * A rule in force for the account: everywhere ({@code namespace} null: a ClusterRole bound by a
   * ClusterRoleBinding) or in one namespace (a RoleBinding there).
   */
  record Grant(PolicyRule rule, String namespace, String via, boolean clusterDefault) {
    boolean allows(Request request) {
      if (request.resource() == null) {
        return namespace == null
            && matches(rule.getVerbs(), request.verb())
            && rule.getNonResourceURLs().stream()
                .anyMatch(
                    url ->
                        url.equals(request.name())
                            || url.equals("*")
                            || (url.endsWith("*")
                                && request.name().startsWith(url.substring(0, url.length() - 1))));
      }
      return (namespace == null || namespace.equals(request.namespace()))
          && matches(rule.getApiGroups(), request.group())
          && resourceMatches(request)
          && matches(rule.getVerbs(), request.verb())
          && (rule.getResourceNames().isEmpty()
              || (!request.name().isEmpty() && rule.getResourceNames().contains(request.name())));
    }

    private boolean resourceMatches(Request request) {
      for (String resource : rule.getResources()) {
        if (resource.equals("*")
            || resource.equals(request.resourcePath())
            || (!request.subresource().isEmpty()
                && resource.equals("*/" + request.subresource()))) {
          return true;
        }
      }
      return false;
    }

    private static boolean matches(List<String> values, String value) {
      return values.contains("*") || values.contains(value);
    }

    @Override
    public String toString() {
      return via + (namespace == null ? "" : " in " + namespace) + ": " + describe(rule);
    }
  }

  static String describe(PolicyRule rule) {
    String what =
        rule.getNonResourceURLs().isEmpty()
            ? rule.getApiGroups().stream().map(g -> g.isEmpty() ? "core" : g).toList()
                + " "
                + rule.getResources()
            : rule.getNonResourceURLs().toString();
    return what
        + " "
        + rule.getVerbs()
        + (rule.getResourceNames().isEmpty() ? "" : " names " + rule.getResourceNames());
  }

  private final List<Grant> grants = new ArrayList<>();

  /**
   * The rules {@code objects} (and every cluster's defaults) give the service account {@code
   * account} of namespace {@code namespace}.
   */
  Rbac(List<HasMetadata> objects, String namespace, String account) {
    List<HasMetadata> all = new ArrayList<>(objects);
    all.addAll(CLUSTER_DEFAULTS);
    for (HasMetadata o : all) {
      boolean clusterDefault = CLUSTER_DEFAULTS.contains(o);
      if (o instanceof ClusterRoleBinding b && boundTo(b.getSubjects(), namespace, account)) {
        rolesOf(all, b.getRoleRef(), null)
            .forEach(
                r ->
                    grants.add(
                        new Grant(
                            r,
                            null,
                            "ClusterRoleBinding "
                                + b.getMetadata().getName()
                                + " -> ClusterRole "
                                + b.getRoleRef().getName(),
                            clusterDefault)));
      }
      if (o instanceof RoleBinding b && boundTo(b.getSubjects(), namespace, account)) {
        String where = b.getMetadata().getNamespace();
        rolesOf(all, b.getRoleRef(), where)
            .forEach(
                r ->
                    grants.add(
                        new Grant(
                            r,
                            where,
                            "RoleBinding "
                                + b.getMetadata().getName()
                                + " -> "
                                + b.getRoleRef().getKind()
                                + " "
                                + b.getRoleRef().getName(),
                            clusterDefault)));
      }
    }
  }

  List<Grant> grants() {
    return List.copyOf(grants);
  }

  boolean allows(Request request) {
    return grants.stream().anyMatch(g -> g.allows(request));
  }

  /**
   * Which of {@code verbs} the rules a SelfSubjectRulesReview in {@code namespace} lists give on
   * the resource, counting a rule that lists names only when it lists {@code name}.
   */
  Set<String> verbsInRulesReview(
      String namespace, String group, String resource, String name, Set<String> verbs) {
    Set<String> found = new TreeSet<>();
    for (Grant g : grants) {
      PolicyRule rule = g.rule();
      if ((g.namespace() == null || g.namespace().equals(namespace))
          && (rule.getApiGroups().contains(group) || rule.getApiGroups().contains("*"))
          && (rule.getResources().contains(resource) || rule.getResources().contains("*"))
          && (rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(name))) {
        verbs.stream()
            .filter(v -> rule.getVerbs().contains(v) || rule.getVerbs().contains("*"))
            .forEach(found::add);
      }
    }
    return found;
  }

  /** The grants in the chart itself, without the cluster's defaults. */
  List<Grant> chartGrants() {
    return grants.stream().filter(g -> !g.clusterDefault()).toList();
  }

  private static boolean boundTo(List<Subject> subjects, String namespace, String account) {
    for (Subject s : subjects) {
      boolean matches =
          switch (s.getKind()) {
            case "ServiceAccount" ->
                account.equals(s.getName()) && namespace.equals(s.getNamespace());
            case "User" ->
                ("system:serviceaccount:" + namespace + ":" + account).equals(s.getName());
            case "Group" ->
                Set.of(
                        "system:authenticated",
                        "system:serviceaccounts",
                        "system:serviceaccounts:" + namespace)
                    .contains(s.getName());
            default -> false;
          };
      if (matches) {
        return true;
      }
    }
    return false;
  }

  /** The rules of the role a binding refers to; none when that role does not exist. */
  private static List<PolicyRule> rolesOf(List<HasMetadata> all, RoleRef ref, String namespace) {
    for (HasMetadata o : all) {
      if (!o.getKind().equals(ref.getKind()) || !o.getMetadata().getName().equals(ref.getName())) {
        continue;
      }
      if (o instanceof ClusterRole r) {
        return r.getRules();
      }
      if (o instanceof Role r && Objects.equals(r.getMetadata().getNamespace(), namespace)) {
        return r.getRules();
      }
    }
    return List.of();
  }

  /**
   * The default roles every Kubernetes cluster binds to all authenticated users: system:basic-user
   * (a client may ask what it may do, as leader election does before it starts) and
   * system:discovery.
   */
  static final List<HasMetadata> CLUSTER_DEFAULTS =
      List.of(
          new ClusterRoleBuilder()
              .withNewMetadata()
              .withName("system:basic-user")
              .endMetadata()
              .addNewRule()
              .withApiGroups("authorization.k8s.io")
              .withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews")
              .withVerbs("create")
              .endRule()
              .addNewRule()
              .withApiGroups("authentication.k8s.io")
              .withResources("selfsubjectreviews")
              .withVerbs("create")
              .endRule()
              .build(),
          new ClusterRoleBuilder()
              .withNewMetadata()
              .withName("system:discovery")
              .endMetadata()
              .addNewRule()
              .withNonResourceURLs(
                  "/api",
                  "/api/*",
                  "/apis",
                  "/apis/*",
                  "/healthz",
                  "/livez",
                  "/openapi",
                  "/openapi/*",
                  "/readyz",
                  "/version",
                  "/version/")
              .withVerbs("get")
              .endRule()
              .build(),
          defaultBinding("system:basic-user"),
          defaultBinding("system:discovery"));

  private static ClusterRoleBinding defaultBinding(String role) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(role)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .addNewSubject()
        .withKind("Group")
        .withApiGroup("rbac.authorization.k8s.io")
        .withName("system:authenticated")
        .endSubject()
        .build();
  }
}
