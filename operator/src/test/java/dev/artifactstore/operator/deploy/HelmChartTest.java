package dev.artifactstore.operator.deploy;

import static dev.artifactstore.operator.deploy.Chart.CHART;
import static dev.artifactstore.operator.deploy.Chart.of;
import static dev.artifactstore.operator.deploy.Chart.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered by Helm's own library. */
class HelmChartTest {
  static final Map<String, Object> EVERY_OPTION =
      Map.ofEntries(
          Map.entry("replicaCount", 2),
          Map.entry("watchNamespaces[0]", "team-a"),
          Map.entry("watchNamespaces[1]", "team-b"),
          Map.entry("labelSelector", "shard=a"),
          Map.entry("operatorIdentityNamespaces", "platform,team-a"),
          Map.entry("requireAllowedScopes", true),
          Map.entry("azure.workloadIdentity.clientId", "00000000-0000-0000-0000-0000000000c1"),
          Map.entry("azure.workloadIdentity.tenantId", "00000000-0000-0000-0000-0000000000d1"),
          Map.entry("azure.endpoint", "https://127.0.0.1:8443/"),
          Map.entry("azure.caConfigMap", "simulator-ca"),
          Map.entry("operator.regionOverrides", "pair.eastus2=centralus"),
          Map.entry("metrics.serviceMonitor.enabled", true),
          Map.entry("metrics.prometheusRule.enabled", true),
          Map.entry("grafanaDashboard.enabled", true),
          Map.entry("networkPolicy.enabled", true),
          Map.entry("clusterId", "cluster-a"));

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
  }

  @Test
  void rendersWithDefaultsAndWithEveryOption() {
    List<HasMetadata> defaults = render(Map.of());
    assertEquals(
        new TreeSet<>(
            List.of(
                "ClusterRole",
                "ClusterRoleBinding",
                "Deployment",
                "Role",
                "RoleBinding",
                "Service",
                "ServiceAccount")),
        defaults.stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new)));
    List<HasMetadata> all = render(EVERY_OPTION);
    var kinds =
        all.stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(
        kinds.containsAll(
            List.of(
                "ServiceMonitor",
                "PrometheusRule",
                "ConfigMap",
                "NetworkPolicy",
                "Role",
                "RoleBinding")),
        kinds.toString());
    HasMetadata monitor =
        all.stream().filter(r -> r.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
    assertTrue(
        io.fabric8.kubernetes.client.utils.Serialization.asYaml(monitor)
            .contains("honorLabels: true"),
        "the stores' own namespace label is kept");
    Deployment deployment = of(all, Deployment.class).get(0);
    assertEquals(2, deployment.getSpec().getReplicas());
    Map<String, String> env =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    assertEquals("team-a,team-b", env.get("ARTIFACTSTORE_NAMESPACES"));
    assertEquals("shard=a", env.get("ARTIFACTSTORE_LABEL_SELECTOR"));
    assertEquals("true", env.get("ARTIFACTSTORE_LEADER_ELECTION"));
    assertEquals("https://127.0.0.1:8443/", env.get("ARTIFACTSTORE_AZURE_ENDPOINT"));
  }

  @Test
  void chartCrdIsTheGeneratedOne() throws Exception {
    assertEquals(
        Files.readString(Tools.REPO.resolve("crds/artifactstores.artifactstore.dev.yaml")),
        Files.readString(CHART.resolve("crds/artifactstores.artifactstore.dev.yaml")),
        "helm/artifactstore-operator/crds/ is stale: cp crds/artifactstores.artifactstore.dev.yaml helm/artifactstore-operator/crds/");
  }

  @Test
  void podMeetsTheRestrictedPodSecurityStandard() {
    for (Map<String, Object> values : List.of(Map.<String, Object>of(), EVERY_OPTION)) {
      var pod = of(render(values), Deployment.class).get(0).getSpec().getTemplate().getSpec();
      assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
      assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
      assertNotNull(pod.getSecurityContext().getRunAsUser());
      assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
      assertTrue(
          pod.getVolumes().stream().allMatch(v -> v.getHostPath() == null), "no hostPath volumes");
      assertTrue(pod.getHostNetwork() == null || !pod.getHostNetwork());
      for (Container c : pod.getContainers()) {
        var sc = c.getSecurityContext();
        assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), c.getName());
        assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), c.getName());
        assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
        assertTrue(
            sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty());
        assertTrue(sc.getPrivileged() == null || !sc.getPrivileged());
        assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
        assertNotNull(c.getResources().getRequests().get("memory"));
      }
    }
  }

  @Test
  void jvmExitsOnOutOfMemoryInTheChartAndTheImage() throws Exception {
    Container operator =
        of(render(Map.of()), Deployment.class)
            .get(0)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    String options =
        operator.getEnv().stream()
            .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertTrue(List.of(options.split(" ")).contains("-XX:+ExitOnOutOfMemoryError"), options);
    String dockerfile = Files.readString(Tools.REPO.resolve("Dockerfile"));
    assertTrue(
        dockerfile.contains("ENV JAVA_TOOL_OPTIONS=\"" + options + "\""),
        "the image and the chart should start the JVM alike: " + options);
  }

  @Test
  void networkPolicyIsOffByDefault() {
    assertTrue(of(render(Map.of()), NetworkPolicy.class).isEmpty());
  }

  @Test
  void networkPolicyOpensMetricsToTheGivenPeersOnlyAndHealthToAll() {
    List<HasMetadata> objects =
        render(
            Map.of(
                "networkPolicy.enabled", true,
                "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team", "monitoring",
                "networkPolicy.metricsFrom[0].podSelector.matchLabels.app", "prometheus",
                "networkPolicy.metricsFrom[1].ipBlock.cidr", "10.20.0.0/16"));
    NetworkPolicy policy = of(objects, NetworkPolicy.class).get(0);
    assertEquals("artifactstore-system", policy.getMetadata().getNamespace());
    assertEquals(
        of(objects, Deployment.class).get(0).getSpec().getSelector().getMatchLabels(),
        policy.getSpec().getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    assertEquals(2, rules.size(), rules.toString());
    assertEquals(List.of(8081), ports(rules.get(0)));
    assertTrue(rules.get(0).getFrom().isEmpty(), "the health port is open to all");
    assertEquals(List.of(8080), ports(rules.get(1)));
    List<NetworkPolicyPeer> peers = rules.get(1).getFrom();
    assertEquals(2, peers.size());
    assertEquals(
        Map.of("team", "monitoring"), peers.get(0).getNamespaceSelector().getMatchLabels());
    assertEquals(Map.of("app", "prometheus"), peers.get(0).getPodSelector().getMatchLabels());
    assertEquals("10.20.0.0/16", peers.get(1).getIpBlock().getCidr());
  }

  @Test
  void networkPolicyWithoutPeersLeavesMetricsClosed() {
    NetworkPolicy policy =
        of(render(Map.of("networkPolicy.enabled", true)), NetworkPolicy.class).get(0);
    assertEquals(1, policy.getSpec().getIngress().size());
    assertEquals(List.of(8081), ports(policy.getSpec().getIngress().get(0)));
  }

  @Test
  void networkPolicyRefusesAMetricsPortThatIsTheHealthPortAndAMisspelledPeer() {
    Exception shared =
        assertThrows(
            Exception.class,
            () -> render(Map.of("networkPolicy.enabled", true, "metrics.port", 8081)));
    assertTrue(shared.getMessage().contains("metrics.port and health.port"), shared.getMessage());
    Exception misspelled =
        assertThrows(
            Exception.class,
            () ->
                render(
                    Map.of(
                        "networkPolicy.enabled",
                        true,
                        "networkPolicy.metricsFrom[0].podSelecter.matchLabels.app",
                        "prometheus")));
    assertTrue(misspelled.getMessage().contains("podSelecter"), misspelled.getMessage());
  }

  static List<Integer> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream()
        .peek(p -> assertEquals("TCP", p.getProtocol()))
        .map(p -> p.getPort().getIntVal())
        .toList();
  }

  static List<String> rules(List<PolicyRule> rules) {
    List<String> out = new ArrayList<>();
    for (PolicyRule r : rules) {
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          out.add(group + "/" + resource + ":" + String.join(",", r.getVerbs()));
        }
      }
    }
    return out;
  }

  static final List<String> STORE_RULES =
      List.of(
          "artifactstore.dev/artifactstores:get,list,watch,patch",
          "artifactstore.dev/artifactstores/status:patch",
          "/events:create",
          "/secrets:get,list,watch");

  static <T extends HasMetadata> T named(List<T> objects, String name) {
    return objects.stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not rendered"));
  }

  /** The role is bound, under its own name, to the chart's service account and nothing else. */
  static void assertBoundToTheServiceAccount(List<HasMetadata> objects, HasMetadata role) {
    String name = role.getMetadata().getName();
    String namespace = role.getMetadata().getNamespace();
    List<HasMetadata> bindings =
        objects.stream()
            .filter(o -> o.getKind().equals(role.getKind() + "Binding"))
            .filter(o -> o.getMetadata().getName().equals(name))
            .filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace))
            .toList();
    assertEquals(1, bindings.size(), role.getKind() + "Binding " + name + " in " + namespace);
    RoleRef ref;
    List<Subject> subjects;
    if (bindings.get(0) instanceof ClusterRoleBinding b) {
      ref = b.getRoleRef();
      subjects = b.getSubjects();
    } else {
      RoleBinding b = (RoleBinding) bindings.get(0);
      ref = b.getRoleRef();
      subjects = b.getSubjects();
    }
    assertEquals(role.getKind() + "/" + name, ref.getKind() + "/" + ref.getName());
    assertEquals(
        List.of("ServiceAccount/artifactstore-system/astore-artifactstore-operator"),
        subjects.stream()
            .map(x -> x.getKind() + "/" + x.getNamespace() + "/" + x.getName())
            .toList());
  }

  @Test
  void clusterWideInstallReadsStoresSecretsAndNamespacesEverywhere() {
    List<HasMetadata> defaults = render(Map.of());
    List<ClusterRole> clusterRoles = of(defaults, ClusterRole.class);
    assertEquals(
        STORE_RULES, rules(named(clusterRoles, "astore-artifactstore-operator").getRules()));
    assertBoundToTheServiceAccount(defaults, named(clusterRoles, "astore-artifactstore-operator"));
    PolicyRule namespaces =
        named(clusterRoles, "astore-artifactstore-operator-namespaces").getRules().get(0);
    assertEquals(List.of("/namespaces:get"), rules(List.of(namespaces)));
    assertTrue(namespaces.getResourceNames().isEmpty(), "every namespace may be watched");
    assertBoundToTheServiceAccount(
        defaults, named(clusterRoles, "astore-artifactstore-operator-namespaces"));
    PolicyRule kubeSystem =
        named(clusterRoles, "astore-artifactstore-operator-cluster-id").getRules().get(0);
    assertEquals(List.of("/namespaces:get"), rules(List.of(kubeSystem)));
    assertEquals(List.of("kube-system"), kubeSystem.getResourceNames());
    Role lease = of(defaults, Role.class).get(0);
    assertEquals(
        List.of("coordination.k8s.io/leases:create", "coordination.k8s.io/leases:get,update,patch"),
        rules(lease.getRules()));
    assertEquals(List.of("artifactstore-operator"), lease.getRules().get(1).getResourceNames());
    assertEquals("artifactstore-system", lease.getMetadata().getNamespace());
  }

  @Test
  void namespacedInstallReadsSecretsAndNamespacesOnlyWhereItWatches() {
    List<HasMetadata> namespaced = render(EVERY_OPTION);
    List<Role> roles =
        of(namespaced, Role.class).stream()
            .filter(r -> !r.getMetadata().getName().endsWith("leader-election"))
            .toList();
    assertEquals(
        List.of("team-a", "team-b"),
        roles.stream().map(r -> r.getMetadata().getNamespace()).toList());
    for (Role role : roles) {
      assertEquals(STORE_RULES, rules(role.getRules()));
      assertBoundToTheServiceAccount(namespaced, role);
    }
    List<ClusterRole> clusterRoles = of(namespaced, ClusterRole.class);
    assertEquals(
        List.of("astore-artifactstore-operator-namespaces"),
        clusterRoles.stream().map(r -> r.getMetadata().getName()).toList(),
        "the one ClusterRole of a namespaced install");
    PolicyRule namespaces = clusterRoles.get(0).getRules().get(0);
    assertEquals(List.of("/namespaces:get"), rules(clusterRoles.get(0).getRules()));
    assertEquals(List.of("team-a", "team-b"), namespaces.getResourceNames());
    assertBoundToTheServiceAccount(namespaced, clusterRoles.get(0));
  }

  @Test
  void secretAccessCannotBeSwitchedOffWithTheRemovedCredentialsSecretsValue() {
    Exception refused =
        assertThrows(Exception.class, () -> render(Map.of("credentialsSecrets.enabled", false)));
    assertTrue(refused.getMessage().contains("watchNamespaces"), refused.getMessage());
    assertEquals(
        STORE_RULES,
        rules(
            named(
                    of(render(Map.of("credentialsSecrets.enabled", true)), ClusterRole.class),
                    "astore-artifactstore-operator")
                .getRules()));
  }

  @Test
  void tenancyValuesReachTheOperatorAsEnvironmentVariables() {
    assertEquals("*", env(render(Map.of())).get("ARTIFACTSTORE_OPERATOR_IDENTITY_NAMESPACES"));
    assertEquals("false", env(render(Map.of())).get("ARTIFACTSTORE_REQUIRE_ALLOWED_SCOPES"));
    Map<String, String> env = env(render(EVERY_OPTION));
    assertEquals("platform,team-a", env.get("ARTIFACTSTORE_OPERATOR_IDENTITY_NAMESPACES"));
    assertEquals("true", env.get("ARTIFACTSTORE_REQUIRE_ALLOWED_SCOPES"));
    Exception invalid =
        assertThrows(Exception.class, () -> render(Map.of("operatorIdentityNamespaces", "Team A")));
    assertTrue(invalid.getMessage().contains("operatorIdentityNamespaces"), invalid.getMessage());
  }

  static Map<String, String> env(List<HasMetadata> objects) {
    return of(objects, Deployment.class)
        .get(0)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
  }

  @Test
  void serviceAccountCarriesTheWorkloadIdentity() {
    List<HasMetadata> objects = render(EVERY_OPTION);
    ServiceAccount account = of(objects, ServiceAccount.class).get(0);
    assertEquals(
        "00000000-0000-0000-0000-0000000000c1",
        account.getMetadata().getAnnotations().get("azure.workload.identity/client-id"));
    var labels =
        of(objects, Deployment.class).get(0).getSpec().getTemplate().getMetadata().getLabels();
    assertEquals("true", labels.get("azure.workload.identity/use"));
  }

  @Test
  void prometheusRuleCarriesTheTestedRulesFile() throws Exception {
    HasMetadata rule =
        render(EVERY_OPTION).stream()
            .filter(o -> o.getKind().equals("PrometheusRule"))
            .findFirst()
            .orElseThrow();
    String rendered = Serialization.asYaml(rule);
    assertTrue(
        rendered.contains("ArtifactStoreStalled")
            && rendered.contains("artifactstore_store_condition"),
        rendered);
  }
}
