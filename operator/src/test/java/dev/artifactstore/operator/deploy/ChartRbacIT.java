package dev.artifactstore.operator.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.cli.AzureOptions;
import dev.artifactstore.operator.reconcile.Conditions;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC against what the operator does. The operator runs as the chart configures it
 * (the rendered Deployment's arguments and environment) against an API server that records every
 * request, through a realistic life: stores with each kind of credentials, a namespace with allowed
 * scopes, stores reaching Ready, Events, a deletion, a Secret labelled late and one rotated. Every
 * request it made must be one that the chart's roles allow its service account, as the API server's
 * RBAC authorizer would decide; and the chart must grant Secrets and Namespaces nowhere else.
 */
class ChartRbacIT {
  /** The operator's token, which tells its requests from the test's own (its client's token). */
  static final String OPERATOR_TOKEN = "astore-artifactstore-operator-token";

  static final String KUBE_SYSTEM = "kube-system";
  static final String TEAM_A = "team-a";
  static final String TEAM_B = "team-b";
  static final String OTHER = "other";
  static final String NAMESPACE_SECRET = "artifactstore-azure-credentials";
  static final String LABEL = "artifactstore.dev/credentials";

  @TempDir Path dir;

  /**
   * A chart configuration; {@code watched} empty: the whole cluster. Without {@code clusterIdGiven}
   * the operator reads the kube-system namespace for its cluster id.
   */
  record Install(
      String name, Map<String, Object> values, Set<String> watched, boolean clusterIdGiven) {
    boolean watches(String namespace) {
      return watched.isEmpty() || watched.contains(namespace);
    }
  }

  @Test
  void aNamespacedInstallWithLeaderElectionAllowsWhatTheOperatorDoesAndNoMore() throws Exception {
    Install install =
        new Install(
            "namespaced",
            Map.of(
                "watchNamespaces[0]", TEAM_A,
                "watchNamespaces[1]", TEAM_B,
                "leaderElection.enabled", true,
                "operatorIdentityNamespaces", TEAM_A),
            Set.of(TEAM_A, TEAM_B),
            false);
    checkAgainstALife(install);
  }

  @Test
  void aClusterWideInstallAllowsWhatTheOperatorDoes() throws Exception {
    Install install =
        new Install(
            "cluster-wide",
            Map.of("leaderElection.enabled", false, "clusterId", "cluster-b"),
            Set.of(),
            true);
    checkAgainstALife(install);
  }

  private void checkAgainstALife(Install install) throws Exception {
    Life life = live(install);
    List<Rbac.Request> made = life.requests();
    Rbac rbac = new Rbac(life.chart(), Chart.RELEASE_NAMESPACE, Chart.SERVICE_ACCOUNT);
    System.out.println(summary(install, made, rbac));

    List<String> denied =
        made.stream().filter(r -> !rbac.allows(r)).map(Rbac.Request::toString).distinct().toList();
    assertEquals(
        List.of(),
        denied,
        install.name()
            + ": requests the operator made that the chart's RBAC forbids; grants:\n"
            + rbac.chartGrants().stream().map(Object::toString).collect(Collectors.joining("\n")));
    assertSecretsAndNamespacesOnlyWhereWatched(install, rbac);
    Map<String, String> env = env(life.chart());
    if (env.get("ARTIFACTSTORE_LEADER_ELECTION").equals("true")) {
      // JOSDK asks for a SelfSubjectRulesReview before it starts electing and refuses to start
      // unless the rules list these verbs on the Lease; the API server here answers that anything
      // goes, so the chart's answer is worked out from its rules.
      assertEquals(
          Set.of("create", "get", "update"),
          rbac.verbsInRulesReview(
              Chart.RELEASE_NAMESPACE,
              "coordination.k8s.io",
              "leases",
              env.get("ARTIFACTSTORE_LEASE_NAME"),
              Set.of("create", "get", "update")),
          "JOSDK's check of the Lease permissions");
    }
  }

  /** What the chart rendered for the install, and the operator's requests under it. */
  record Life(List<HasMetadata> chart, List<Rbac.Request> requests) {}

  /** A life of stores in a cluster where the chart installed the operator. */
  private Life live(Install install) throws Exception {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start();
        Simulator simulator =
            Simulator.start(Simulator.options().port(0).dataDir(dir.resolve("simulator")))) {
      KubernetesClient client = kubernetes.client();
      PlatformBaseline.create(
          AzureConnection.custom(
              simulator.endpoint(),
              simulator.caCertificate(),
              new AzureConnection.DefaultIdentity(
                  null,
                  AzureOptions.DEFAULT_SIMULATOR_CLIENT,
                  AzureOptions.DEFAULT_SIMULATOR_SECRET)));
      namespace(client, KUBE_SYSTEM, Map.of());
      namespace(client, Chart.RELEASE_NAMESPACE, Map.of());
      namespace(
          client,
          TEAM_A,
          Map.of(
              "artifactstore.dev/allowed-scopes",
              "/subscriptions/"
                  + PlatformBaseline.SUBSCRIPTION
                  + "/resourceGroups/"
                  + PlatformBaseline.ARTIFACTS_GROUP));
      namespace(client, TEAM_B, Map.of());
      namespace(client, OTHER, Map.of());
      secret(client, TEAM_A, "team-sp", "team-app", true);
      secret(client, TEAM_B, NAMESPACE_SECRET, "team-b-app", true);
      secret(client, TEAM_B, "unlabelled-sp", "team-b-app", false);
      secret(client, OTHER, NAMESPACE_SECRET, "other-app", true);

      List<HasMetadata> chart = Chart.render(chartValues(install, simulator.endpoint()));
      Process operator = startOperator(install, chart, kubernetes, simulator);
      try {
        // Credentials from spec.credentialsSecretRef, from the operator's identity, from the
        // namespace's Secret, and from a Secret that is labelled only after the store stalls.
        create(client, store(TEAM_A, "by-ref", "rbacbyref1", "team-sp"));
        create(client, store(TEAM_A, "own-identity", "rbacown1", null));
        create(client, store(TEAM_B, "by-namespace-secret", "rbacnssecret1", null));
        create(client, store(TEAM_B, "labelled-late", "rbaclate1", "unlabelled-sp"));
        create(client, store(OTHER, "elsewhere", "rbacelsewhere1", null));

        awaitCondition(client, operator, TEAM_B, "labelled-late", Conditions.STALLED, "True");
        secret(client, TEAM_B, "unlabelled-sp", "team-b-app", true);
        for (String[] store :
            List.of(
                new String[] {TEAM_A, "by-ref"},
                new String[] {TEAM_A, "own-identity"},
                new String[] {TEAM_B, "by-namespace-secret"},
                new String[] {TEAM_B, "labelled-late"})) {
          awaitCondition(client, operator, store[0], store[1], Conditions.READY, "True");
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !client.v1().events().inNamespace(TEAM_A).list().getItems().isEmpty());

        // A rotated Secret reaches the store's next requests to Azure.
        secret(client, TEAM_A, "team-sp", "team-app-rotated", true);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    !simulator
                        .journal()
                        // A resync may learn the registry from its resource group's listing.
                        .entries(e -> "team-app-rotated".equals(e.client()))
                        .isEmpty());

        // A deleted store lets go of its finalizer.
        client.resources(ArtifactStore.class).inNamespace(TEAM_A).withName("own-identity").delete();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    client
                            .resources(ArtifactStore.class)
                            .inNamespace(TEAM_A)
                            .withName("own-identity")
                            .get()
                        == null);

        if (install.watches(OTHER)) {
          awaitCondition(client, operator, OTHER, "elsewhere", Conditions.READY, "True");
        } else {
          ArtifactStore untouched =
              client.resources(ArtifactStore.class).inNamespace(OTHER).withName("elsewhere").get();
          assertTrue(
              (untouched.getStatus().getConditions() == null
                      || untouched.getStatus().getConditions().isEmpty())
                  && untouched.getMetadata().getFinalizers().isEmpty(),
              "the operator left alone a store where it does not watch");
        }
        // A resync or two of the Ready stores, and the lease renewed meanwhile.
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7)).until(() -> true);
      } finally {
        stop(operator);
      }

      List<EmbeddedKubernetes.Request> all = kubernetes.drainRequestsWithTokens();
      List<Rbac.Request> made =
          all.stream()
              .filter(r -> OPERATOR_TOKEN.equals(r.token()))
              .map(r -> Rbac.Request.of(r.method(), r.path()))
              .toList();
      assertFalse(made.isEmpty(), "the operator's requests were recorded");
      assertEquals(
          Set.of(OPERATOR_TOKEN, client.getConfiguration().getOauthToken()),
          all.stream().map(r -> String.valueOf(r.token())).collect(Collectors.toSet()),
          "the operator's requests and the test's own, told apart by their tokens");
      return new Life(chart, made);
    }
  }

  /** The values of the install, pointing the operator at the simulator. */
  private static Map<String, Object> chartValues(Install install, String azureEndpoint) {
    Map<String, Object> values = new LinkedHashMap<>(install.values());
    values.put("azure.endpoint", azureEndpoint);
    values.put("azure.caConfigMap", "simulator-ca");
    // Short periods, so a resync and a stalled retry happen within the test.
    values.put("operator.resync", "5s");
    values.put("operator.stalledRetry", "3s");
    return values;
  }

  /**
   * Starts the operator jar with the rendered Deployment's arguments and environment, as a pod of
   * it: the kubelet's part (the service account's credentials, the mounted CA certificate, the
   * field reference to the pod's namespace, the pod's name) is played here, and the ports are free
   * ones on 127.0.0.1.
   */
  private Process startOperator(
      Install install, List<HasMetadata> chart, EmbeddedKubernetes kubernetes, Simulator simulator)
      throws Exception {
    Map<String, String> env = env(chart);
    assertEquals("/etc/artifactstore/ca/ca.pem", env.get("ARTIFACTSTORE_AZURE_CA_CERT"));
    env.put("ARTIFACTSTORE_AZURE_CA_CERT", simulator.caCertificate().toString());
    env.put(
        "ARTIFACTSTORE_KUBECONFIG",
        kubernetes
            .writeKubeconfig(dir.resolve("kubeconfig"), Chart.RELEASE_NAMESPACE, OPERATOR_TOKEN)
            .toString());
    env.put("ARTIFACTSTORE_METRICS_PORT", Integer.toString(freePort()));
    env.put("ARTIFACTSTORE_HEALTH_PORT", Integer.toString(freePort()));
    env.put("ARTIFACTSTORE_BIND_ADDRESS", "127.0.0.1");
    env.put("HOSTNAME", Chart.SERVICE_ACCOUNT + "-0");

    Path jar = Tools.REPO.resolve("operator/target/artifactstore-operator.jar");
    assertTrue(Files.exists(jar), jar + " is missing: this test runs after the package phase");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(container(chart).getArgs());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("operator-" + install.name() + ".log").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Container container(List<HasMetadata> chart) {
    return Chart.of(chart, Deployment.class)
        .get(0)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  /** The operator's environment, with the pod's namespace where the chart refers to it. */
  private static Map<String, String> env(List<HasMetadata> chart) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : container(chart).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null
          && e.getValueFrom().getFieldRef() != null
          && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace")) {
        env.put(e.getName(), Chart.RELEASE_NAMESPACE);
      } else {
        throw new AssertionError("no pod here to provide " + e);
      }
    }
    return env;
  }

  /**
   * Stops the operator; forcibly when it does not exit, as a leader's JVM may not (JOSDK exits from
   * its stop-leading callback inside the shutdown hook).
   */
  private static void stop(Process operator) throws InterruptedException {
    operator.destroy();
    if (!operator.waitFor(5, TimeUnit.SECONDS)) {
      operator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void namespace(
      KubernetesClient client, String name, Map<String, String> annotations) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .create();
  }

  private static void secret(
      KubernetesClient client, String namespace, String name, String clientId, boolean labelled) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labelled ? Map.of(LABEL, "true") : Map.of())
                .endMetadata()
                .withStringData(
                    Map.of(
                        "tenantId",
                        "11111111-1111-1111-1111-111111111111",
                        "clientId",
                        clientId,
                        "clientSecret",
                        clientId + "-secret"))
                .build())
        .createOr(r -> r.update());
  }

  private static ArtifactStore store(
      String namespace, String name, String registry, String secretRef) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(namespace).withGeneration(1L).build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation("eastus");
    spec.setRegistryName(registry);
    if (secretRef != null) {
      spec.setCredentialsSecretRef(new SecretReference(secretRef));
    }
    store.setSpec(spec);
    return store;
  }

  private static void create(KubernetesClient client, ArtifactStore store) {
    client.resource(store).create();
  }

  private void awaitCondition(
      KubernetesClient client,
      Process operator,
      String namespace,
      String name,
      String type,
      String status) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertTrue(operator.isAlive(), "the operator exited; see its log in " + dir);
              ArtifactStore store =
                  client.resources(ArtifactStore.class).inNamespace(namespace).withName(name).get();
              Condition c =
                  store.getStatus() == null
                      ? null
                      : Conditions.find(store.getStatus().getConditions(), type);
              return c != null && status.equals(c.getStatus());
            });
  }

  /**
   * Secrets and Namespaces: read only, Secrets only in the watched namespaces, Namespaces only the
   * watched ones and kube-system (when the cluster id is its UID), by name.
   */
  private static void assertSecretsAndNamespacesOnlyWhereWatched(Install install, Rbac rbac) {
    Set<String> namespaceNames = new TreeSet<>(install.watched());
    if (!install.clusterIdGiven()) {
      namespaceNames.add(KUBE_SYSTEM);
    }
    for (Rbac.Grant grant : rbac.chartGrants()) {
      var rule = grant.rule();
      boolean core = rule.getApiGroups().contains("") || rule.getApiGroups().contains("*");
      boolean secrets =
          core && (rule.getResources().contains("secrets") || rule.getResources().contains("*"));
      boolean namespaces =
          core && (rule.getResources().contains("namespaces") || rule.getResources().contains("*"));
      if (secrets) {
        assertTrue(
            Set.of("get", "list", "watch").containsAll(rule.getVerbs()),
            "Secrets are only read: " + grant);
        if (!install.watched().isEmpty()) {
          assertTrue(
              grant.namespace() != null && install.watched().contains(grant.namespace()),
              "Secrets only in the watched namespaces: " + grant);
        }
      }
      if (namespaces) {
        assertEquals(List.of("get"), rule.getVerbs(), "Namespaces are only read: " + grant);
        if (!install.watched().isEmpty()) {
          List<String> names =
              grant.namespace() == null ? rule.getResourceNames() : List.of(grant.namespace());
          assertFalse(names.isEmpty(), "Namespaces only by name: " + grant);
          assertTrue(
              namespaceNames.containsAll(names),
              "Namespaces only " + namespaceNames + ": " + grant);
        }
      }
    }
    if (!install.watched().isEmpty()) {
      for (String request :
          List.of(
              "GET /api/v1/namespaces/other/secrets/artifactstore-azure-credentials",
              "GET /api/v1/namespaces/other/secrets?watch=true",
              "GET /api/v1/secrets",
              "GET /api/v1/namespaces/other",
              "GET /api/v1/namespaces")) {
        String[] parts = request.split(" ");
        assertFalse(rbac.allows(Rbac.Request.of(parts[0], parts[1])), request);
      }
    }
  }

  /**
   * The operator's requests by verb, resource, namespace and name (names only where RBAC could
   * restrict by them: gets of Secrets, Namespaces and Leases), and the chart's grants it never
   * used.
   */
  private static String summary(Install install, List<Rbac.Request> made, Rbac rbac) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Rbac.Request r : made) {
      boolean named =
          r.verb().equals("get")
              && Set.of("secrets", "namespaces", "leases").contains(r.resource());
      String key =
          String.format(
              "%-7s %-42s %-22s %s",
              r.verb(),
              r.resource() == null
                  ? r.name()
                  : (r.group().isEmpty() ? "" : r.group() + "/") + r.resourcePath(),
              r.namespace().isEmpty() ? "(cluster)" : r.namespace(),
              named ? r.name() : "");
      counts.merge(key, 1, Integer::sum);
    }
    StringBuilder out =
        new StringBuilder("\n=== requests of the operator, install " + install.name() + " ===\n");
    counts.forEach((k, n) -> out.append(String.format("%5d  %s%n", n, k)));
    out.append("=== granted by the chart and never used ===\n");
    for (Rbac.Grant grant : rbac.chartGrants()) {
      for (String verb : grant.rule().getVerbs()) {
        for (String resource : grant.rule().getResources()) {
          boolean used =
              made.stream()
                  .anyMatch(
                      r ->
                          r.resource() != null
                              && r.verb().equals(verb)
                              && r.resourcePath().equals(resource)
                              && grant.allows(r));
          if (!used) {
            out.append(
                String.format(
                    "       %-7s %-42s %s%n",
                    verb, resource, grant.namespace() == null ? "(cluster)" : grant.namespace()));
          }
        }
      }
    }
    return out.toString();
  }
}
