package dev.artifactstore.operator.reconcile;

import static org.awaitility.Awaitility.await;

import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.metrics.ReconcileObserver;
import dev.artifactstore.operator.regions.RegionTable;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.OperatorRuntime;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import dev.artifactstore.simulator.Simulator;
import dev.artifactstore.simulator.arm.Journal;
import dev.artifactstore.simulator.arm.LatencyProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One Kubernetes API (fabric8's mock server, CRUD mode), one simulator and one operator, shared by
 * the tests of a class. Azure holds the platform baseline; stores go into namespace "tests".
 */
final class Testbed implements AutoCloseable {
  /** The cluster id of the operator under test, in the marks it writes. */
  static final String CLUSTER = "test-cluster";

  static final String NAMESPACE = "tests";

  final EmbeddedKubernetes kubernetes;
  final KubernetesClient client;
  Simulator simulator;
  private Simulator.Options simulatorConfig;
  private final List<Journal.Entry> earlierJournals = new ArrayList<>();
  final AzureConnection connection;
  private OperatorRuntime runtime;
  private final ReconcileObserver observer;
  private final ReconcileSettings settings;
  private final Path dataDir;

  Testbed(ReconcileSettings settings, String... extraSubnets) throws Exception {
    this(settings, LatencyProfile.instant(), extraSubnets);
  }

  Testbed(ReconcileSettings settings, LatencyProfile profile, String... extraSubnets)
      throws Exception {
    this(settings, profile, o -> {}, ReconcileObserver.NONE, extraSubnets);
  }

  /** A testbed whose simulator options are adjusted and whose reconciles are observed. */
  Testbed(
      ReconcileSettings settings,
      LatencyProfile profile,
      Consumer<Simulator.Options> simulatorOptions,
      ReconcileObserver observer,
      String... extraSubnets)
      throws Exception {
    this.observer = observer;
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(d -> Duration.ofMillis(50));
    this.settings = settings;
    this.dataDir = Files.createTempDirectory("artifactstore-it");
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
    Simulator.Options options =
        Simulator.options()
            .port(0)
            .dataDir(dataDir)
            .profile(profile)
            .replicaCooldown(Duration.ofSeconds(1));
    simulatorOptions.accept(options);
    this.simulatorConfig = options;
    simulator = Simulator.start(options);
    connection =
        AzureConnection.custom(
            simulator.endpoint(),
            simulator.caCertificate(),
            new AzureConnection.DefaultIdentity(
                null, "artifactstore-operator", "simulated-secret"));
    PlatformBaseline.create(connection, extraSubnets);
    startOperator();
  }

  /**
   * Pipeline policies of the operator's Azure clients (e.g. an ARM budget), from its next start.
   */
  List<HttpPipelinePolicy> azurePolicies = List.of();

  void startOperator() {
    runtime =
        OperatorRuntime.start(
            new OperatorRuntime.Config(
                CLUSTER,
                operatorClient != null ? operatorClient : client,
                new AzureClients(connection, azurePolicies),
                RegionTable.defaults(),
                settings,
                Set.of(NAMESPACE),
                4,
                Clock.systemUTC(),
                observer,
                null,
                null,
                null,
                operatorIdentityNamespaces,
                requireAllowedScopes));
  }

  /** The operator's own client to the API server, from its next start; null: the tests' client. */
  KubernetesClient operatorClient;

  /** Namespaces whose stores may use the operator's identity, from the operator's next start. */
  Set<String> operatorIdentityNamespaces = Set.of("*");

  /** Whether namespaces need allowed scopes, from the operator's next start. */
  boolean requireAllowedScopes;

  /** Stops the simulator and starts it again on the same port from its state file. */
  void restartSimulator() {
    int port = simulator.port();
    earlierJournals.addAll(simulator.journal().entries());
    simulator.close();
    simulatorConfig.port(port);
    simulator = Simulator.start(simulatorConfig);
  }

  /** Every request answered, across simulator restarts. */
  List<Journal.Entry> allJournal() {
    List<Journal.Entry> all = new ArrayList<>(earlierJournals);
    all.addAll(simulator.journal().entries());
    return all;
  }

  void stopOperator() {
    runtime.close();
  }

  static ArtifactStore store(
      String name,
      String registry,
      String location,
      ReplicationStrategy strategy,
      boolean endpoint) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation(location);
    spec.setRegistryName(registry);
    spec.setReplicationStrategy(strategy);
    if (endpoint) {
      spec.setPrivateEndpoints(
          new ArrayList<>(
              List.of(
                  new PrivateEndpointSpec(
                      registry + "-pe",
                      PlatformBaseline.NETWORK_GROUP,
                      PlatformBaseline.subnetId(PlatformBaseline.SUBNET),
                      PlatformBaseline.zoneId()))));
    }
    store.setSpec(spec);
    return store;
  }

  ArtifactStore create(ArtifactStore store) {
    store.getMetadata().setGeneration(1L);
    return client.resource(store).create();
  }

  /**
   * Changes the spec the way kubectl apply would, bumping the generation (the mock server does
   * not).
   */
  ArtifactStore editSpec(String name, Consumer<ArtifactStoreSpec> change) {
    return client
        .resources(ArtifactStore.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .edit(
            s -> {
              change.accept(s.getSpec());
              s.getMetadata().setGeneration(s.getMetadata().getGeneration() + 1);
              return s;
            });
  }

  /**
   * Sets an annotation on a store (null: removes it), as kubectl annotate would: again when the
   * operator changed the store between the read and the write (409), as kubectl's own retry does.
   */
  ArtifactStore annotate(String name, String key, String value) {
    for (int attempt = 1; ; attempt++) {
      try {
        return annotateOnce(name, key, value);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private ArtifactStore annotateOnce(String name, String key, String value) {
    return client
        .resources(ArtifactStore.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .edit(
            s -> {
              Map<String, String> annotations =
                  s.getMetadata().getAnnotations() == null
                      ? new HashMap<>()
                      : new HashMap<>(s.getMetadata().getAnnotations());
              if (value == null) {
                annotations.remove(key);
              } else {
                annotations.put(key, value);
              }
              s.getMetadata().setAnnotations(annotations);
              return s;
            });
  }

  ArtifactStore get(String name) {
    return client.resources(ArtifactStore.class).inNamespace(NAMESPACE).withName(name).get();
  }

  static Condition condition(ArtifactStore store, String type) {
    if (store == null || store.getStatus() == null) {
      return null;
    }
    return Conditions.find(store.getStatus().getConditions(), type);
  }

  static boolean is(ArtifactStore store, String type, String status) {
    Condition c = condition(store, type);
    return c != null && status.equals(c.getStatus());
  }

  static boolean readyAtGeneration(ArtifactStore store) {
    Condition ready = condition(store, Conditions.READY);
    return ready != null
        && "True".equals(ready.getStatus())
        && store.getMetadata().getGeneration().equals(ready.getObservedGeneration());
  }

  ArtifactStore awaitReady(String name, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> readyAtGeneration(get(name)));
    return get(name);
  }

  ArtifactStore awaitCondition(
      String name, String type, String status, String reason, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Condition c = condition(get(name), type);
              return c != null
                  && status.equals(c.getStatus())
                  && (reason == null || reason.equals(c.getReason()));
            });
    return get(name);
  }

  /** Azure ports as a user with the CLI would use them, for out-of-band changes. */
  AzureClients.Ports azure() {
    return new AzureClients(connection, List.of())
        .ports(PlatformBaseline.SUBSCRIPTION, "out-of-band", connection::defaultCredential);
  }

  String registryId(String registry) {
    return "/subscriptions/"
        + PlatformBaseline.SUBSCRIPTION
        + "/resourceGroups/"
        + PlatformBaseline.ARTIFACTS_GROUP
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + registry;
  }

  /**
   * Takes {@code region}'s data endpoint out of the endpoint's DNS configurations, straight in the
   * simulator's state: an endpoint as Azure leaves it when a replica is added outside the operator.
   */
  void dropEndpointRegion(String endpointId, String region) {
    simulator.dropEndpointRegion(endpointId, region);
  }

  /** Journal entries whose path mentions {@code fragment} (case-insensitive) and that match. */
  List<Journal.Entry> journal(String fragment, Predicate<Journal.Entry> filter) {
    String lower = fragment.toLowerCase(Locale.ROOT);
    return simulator
        .journal()
        .entries(e -> e.path().toLowerCase(Locale.ROOT).contains(lower) && filter.test(e));
  }

  static Predicate<Journal.Entry> writes() {
    return e -> e.isWrite() || e.isDelete();
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      simulator.close();
      kubernetes.close();
    }
  }
}
