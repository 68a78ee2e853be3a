package dev.artifactstore.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The RBAC evaluation ChartRbacIT relies on, against the Kubernetes authorizer's semantics. */
class RbacTest {
  static final String SA_NAMESPACE = "ops";
  static final String SA = "operator";

  static Rbac.Request request(String line) {
    String[] parts = line.split(" ", 2);
    return Rbac.Request.of(parts[0], parts[1]);
  }

  static boolean allows(List<HasMetadata> objects, String line) {
    return new Rbac(objects, SA_NAMESPACE, SA).allows(request(line));
  }

  static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }

  static HasMetadata role(String namespace, String name, PolicyRule... rules) {
    return new RoleBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  static HasMetadata clusterRole(String name, PolicyRule... rules) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  static HasMetadata roleBinding(String namespace, String kind, String role, String account) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(role)
        .withNamespace(namespace)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", kind, role)
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(account)
        .withNamespace(SA_NAMESPACE)
        .endSubject()
        .build();
  }

  static HasMetadata clusterRoleBinding(String role) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(role)
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(SA)
        .withNamespace(SA_NAMESPACE)
        .endSubject()
        .build();
  }

  @Test
  void requestsAreReadAsTheApiServerReadsThem() {
    assertEquals(
        new Rbac.Request("watch", "artifactstore.dev", "artifactstores", "", "team-a", ""),
        request(
            "GET /apis/artifactstore.dev/v1alpha1/namespaces/team-a/artifactstores"
                + "?allowWatchBookmarks=true&resourceVersion=14&watch=true"));
    assertEquals(
        new Rbac.Request("list", "", "secrets", "", "", ""),
        request("GET /api/v1/secrets?labelSelector=a%3Db&resourceVersion=0"));
    assertEquals(
        new Rbac.Request("get", "", "namespaces", "", "kube-system", "kube-system"),
        request("GET /api/v1/namespaces/kube-system"));
    assertEquals(
        new Rbac.Request("list", "", "namespaces", "", "", ""), request("GET /api/v1/namespaces"));
    assertEquals(
        new Rbac.Request("patch", "artifactstore.dev", "artifactstores", "status", "a", "s1"),
        request("PATCH /apis/artifactstore.dev/v1alpha1/namespaces/a/artifactstores/s1/status"));
    assertEquals(
        new Rbac.Request("create", "coordination.k8s.io", "leases", "", "ops", ""),
        request("POST /apis/coordination.k8s.io/v1/namespaces/ops/leases"));
    assertEquals(
        new Rbac.Request("update", "", "namespaces", "finalize", "gone", "gone"),
        request("PUT /api/v1/namespaces/gone/finalize"));
    assertEquals("delete", request("DELETE /api/v1/namespaces/a/secrets/s").verb());
    assertEquals("deletecollection", request("DELETE /api/v1/namespaces/a/secrets").verb());
    assertEquals(
        new Rbac.Request("list", "", "secrets", "", "a", "s"),
        request("GET /api/v1/namespaces/a/secrets?fieldSelector=metadata.name%3Ds"));
    assertEquals(
        new Rbac.Request("get", null, null, null, "", "/version"), request("GET /version"));
  }

  @Test
  void aRoleAppliesInItsNamespaceOnly() {
    List<HasMetadata> objects =
        List.of(
            role("a", "reader", rule("", "secrets", "get", "list", "watch")),
            roleBinding("a", "Role", "reader", SA));
    assertTrue(allows(objects, "GET /api/v1/namespaces/a/secrets/s"));
    assertTrue(allows(objects, "GET /api/v1/namespaces/a/secrets?watch=true"));
    assertFalse(allows(objects, "GET /api/v1/namespaces/b/secrets/s"));
    assertFalse(allows(objects, "GET /api/v1/secrets"), "a list across namespaces");
    assertFalse(allows(objects, "PUT /api/v1/namespaces/a/secrets/s"));
    assertFalse(allows(objects, "GET /api/v1/namespaces/a/configmaps/s"));
    assertFalse(
        allows(
            List.of(
                role("a", "reader", rule("", "secrets", "get")),
                roleBinding("a", "Role", "reader", "someone-else")),
            "GET /api/v1/namespaces/a/secrets/s"),
        "bound to another account");
    assertFalse(
        allows(List.of(roleBinding("a", "Role", "missing", SA)), "GET /api/v1/namespaces/a/x/s"),
        "bound to a role that does not exist");
  }

  @Test
  void
      aClusterRoleAppliesEverywhereThroughAClusterRoleBindingAndInOneNamespaceThroughARoleBinding() {
    HasMetadata reader = clusterRole("reader", rule("", "secrets", "list"));
    assertTrue(
        allows(List.of(reader, clusterRoleBinding("reader")), "GET /api/v1/secrets"),
        "a list across namespaces");
    assertTrue(
        allows(List.of(reader, clusterRoleBinding("reader")), "GET /api/v1/namespaces/b/secrets"));
    List<HasMetadata> inA = List.of(reader, roleBinding("a", "ClusterRole", "reader", SA));
    assertTrue(allows(inA, "GET /api/v1/namespaces/a/secrets"));
    assertFalse(allows(inA, "GET /api/v1/namespaces/b/secrets"));
    assertFalse(allows(inA, "GET /api/v1/secrets"));
  }

  @Test
  void resourceNamesAllowOnlyRequestsThatNameTheObject() {
    PolicyRule named =
        new PolicyRuleBuilder()
            .withApiGroups("")
            .withResources("namespaces")
            .withResourceNames("kube-system")
            .withVerbs("get", "list", "create")
            .build();
    List<HasMetadata> objects = List.of(clusterRole("ns", named), clusterRoleBinding("ns"));
    assertTrue(allows(objects, "GET /api/v1/namespaces/kube-system"));
    assertFalse(allows(objects, "GET /api/v1/namespaces/default"));
    assertFalse(allows(objects, "GET /api/v1/namespaces"), "a list names nothing");
    assertTrue(
        allows(objects, "GET /api/v1/namespaces?fieldSelector=metadata.name%3Dkube-system"),
        "a list selecting the name by field names it");
    assertFalse(allows(objects, "POST /api/v1/namespaces"), "a create names nothing");
  }

  @Test
  void aSubresourceNeedsItsOwnRule() {
    String status = "PATCH /apis/artifactstore.dev/v1alpha1/namespaces/a/artifactstores/s/status";
    assertFalse(
        allows(
            List.of(
                clusterRole("r", rule("artifactstore.dev", "artifactstores", "patch")),
                clusterRoleBinding("r")),
            status));
    assertTrue(
        allows(
            List.of(
                clusterRole("r", rule("artifactstore.dev", "artifactstores/status", "patch")),
                clusterRoleBinding("r")),
            status));
    assertTrue(
        allows(
            List.of(clusterRole("r", rule("*", "*/status", "*")), clusterRoleBinding("r")),
            status));
  }

  @Test
  void everyAuthenticatedAccountMayDiscoverTheApiAndReviewItsOwnRules() {
    assertTrue(allows(List.of(), "POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews"));
    assertTrue(allows(List.of(), "GET /version"));
    assertTrue(allows(List.of(), "GET /apis/coordination.k8s.io/v1"));
    assertFalse(allows(List.of(), "GET /metrics"));
    assertFalse(allows(List.of(), "GET /api/v1/namespaces/kube-system"));
  }

  @Test
  void aRulesReviewListsTheVerbsOfRulesForTheNameOrForAnyName() {
    List<HasMetadata> objects =
        List.of(
            role("ops", "lease", rule("coordination.k8s.io", "leases", "create")),
            role(
                "ops",
                "lease-by-name",
                new PolicyRuleBuilder()
                    .withApiGroups("coordination.k8s.io")
                    .withResources("leases")
                    .withResourceNames("mine")
                    .withVerbs("get", "update")
                    .build()),
            roleBinding("ops", "Role", "lease", SA),
            roleBinding("ops", "Role", "lease-by-name", SA));
    Rbac rbac = new Rbac(objects, SA_NAMESPACE, SA);
    Set<String> verbs = Set.of("create", "get", "update");
    assertEquals(
        Set.of("create", "get", "update"),
        rbac.verbsInRulesReview("ops", "coordination.k8s.io", "leases", "mine", verbs));
    assertEquals(
        Set.of("create"),
        rbac.verbsInRulesReview("ops", "coordination.k8s.io", "leases", "theirs", verbs));
    assertEquals(
        Set.of(), rbac.verbsInRulesReview("other", "coordination.k8s.io", "leases", "mine", verbs));
  }
}
