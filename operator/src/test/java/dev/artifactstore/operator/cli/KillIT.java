package dev.artifactstore.operator.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.containerregistry.fluent.models.RegistryInner;
import com.azure.resourcemanager.containerregistry.fluent.models.ReplicationInner;
import com.azure.resourcemanager.containerregistry.models.Sku;
import com.azure.resourcemanager.containerregistry.models.SkuName;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.ArtifactStoreSpec;
import dev.artifactstore.operator.api.DeletionPolicy;
import dev.artifactstore.operator.api.PrivateEndpointSpec;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.azure.HaltPoints;
import dev.artifactstore.operator.reconcile.Conditions;
import dev.artifactstore.operator.runtime.EmbeddedKubernetes;
import dev.artifactstore.operator.runtime.PlatformBaseline;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator killed at the worst moments, as a process: the packaged operator ({@code run}) and
 * the simulator each run as their own process. For each halt point (see {@link HaltPoints}) an
 * operator is started that halts itself there, as if SIGKILLed, while a store is built, made
 * geo-replicated, adopted or deleted; a new operator is then started, and once its stores have
 * converged the invariants are checked over everything in Azure and in the journal.
 *
 * <p>Quick mode (in {@code verify}): one halt point of each kind of change. Long mode ({@code
 * -Dkill.long=true}): every halt point, then {@code kill.randomKills} random SIGKILLs of each
 * process while stores are built, retrofitted and deleted. {@code -Dkill.points=a,b} takes only
 * those halt points.
 */
class KillIT {
  static final boolean LONG = Boolean.getBoolean("kill.long");
  static final int RANDOM_KILLS = Integer.getInteger("kill.randomKills", 50);
  static final String CLUSTER = "kill-test";
  static final String MARK = "artifactstoreowner";
  static final ObjectMapper JSON = new ObjectMapper();

  /** What a store goes through while the operator halts. */
  enum Change {
    BUILD,
    RETROFIT,
    APPROVE,
    ADOPT,
    DELETE
  }

  /** Halt points and the change that reaches each; quick mode takes those marked quick. */
  record Point(String name, Change change, boolean quick) {}

  static final List<Point> POINTS =
      List.of(
          new Point("registry-create", Change.BUILD, true),
          new Point("replica-create", Change.BUILD, true),
          new Point("endpoint-create", Change.BUILD, false),
          new Point("zone-group-put", Change.BUILD, false),
          new Point("endpoint-reapply", Change.RETROFIT, true),
          new Point("record-put", Change.RETROFIT, false),
          new Point("connection-approve", Change.APPROVE, false),
          new Point("registry-retag", Change.ADOPT, false),
          new Point("adopted-marked", Change.ADOPT, true),
          new Point("registry-update", Change.ADOPT, false),
          new Point("replica-retag", Change.ADOPT, false),
          new Point("record-delete", Change.DELETE, false),
          new Point("between-deletes", Change.DELETE, true),
          new Point("endpoint-delete", Change.DELETE, false),
          new Point("replica-delete", Change.DELETE, false),
          new Point("registry-delete", Change.DELETE, false));

  @TempDir static Path dir;
  static EmbeddedKubernetes kubernetes;
  static KubernetesClient client;
  static Path kubeconfig;
  static final List<Process> started = new ArrayList<>();
  static Process simulator;
  static int simulatorPort;
  static String endpoint;
  static Path ca;
  static AzureConnection azure;
  static int operators;

  /** Stores deleted under Retain, and registries adopted: what must still be in Azure. */
  static final Set<String> retained = new TreeSet<>();

  /** Registries of stores deleted under Delete: what must be gone. */
  static final Set<String> deleted = new TreeSet<>();

  @BeforeAll
  static void start() throws Exception {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
    kubeconfig = kubernetes.writeKubeconfig(dir.resolve("kubeconfig"), "default");
    startSimulator(0);
    azure =
        AzureConnection.custom(
            endpoint,
            ca,
            new AzureConnection.DefaultIdentity(
                null,
                AzureOptions.DEFAULT_SIMULATOR_CLIENT,
                AzureOptions.DEFAULT_SIMULATOR_SECRET));
    PlatformBaseline.create(azure);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  static void startSimulator(int port) throws Exception {
    String[] started =
        JarProcess.startSimulator(
            dir,
            KillIT.started,
            List.of(
                "--port",
                Integer.toString(port),
                "--state-file",
                dir.resolve("sim-state.json").toString()));
    simulator = KillIT.started.get(KillIT.started.size() - 1);
    endpoint = started[0];
    ca = Path.of(started[1]);
    simulatorPort = Integer.parseInt(endpoint.replaceAll(".*:(\\d+)/$", "$1"));
  }

  @Test
  void killedAtEachHaltPointTheNextOperatorLosesNothingAndDuplicatesNothing() throws Exception {
    String only = System.getProperty("kill.points", "");
    List<Point> points =
        POINTS.stream()
            .filter(
                p ->
                    only.isEmpty()
                        ? LONG || p.quick()
                        : List.of(only.split(",")).contains(p.name()))
            .toList();
    for (int i = 0; i < points.size(); i++) {
      prepare(points.get(i), i);
    }
    // Everything prepared is built by one operator, killed once it is.
    Process builder = operator(null);
    for (int i = 0; i < points.size(); i++) {
      awaitConverged(namespace(points.get(i)), builder);
    }
    kill(builder);

    Map<String, Long> figures = new LinkedHashMap<>();
    for (int i = 0; i < points.size(); i++) {
      Point point = points.get(i);
      long begun = System.nanoTime();
      Process halting = operator(point.name());
      change(point, i);
      if (!halting.waitFor(120, TimeUnit.SECONDS)) {
        halting.destroyForcibly().waitFor();
        fail(
            "halt point "
                + point.name()
                + " was never reached while a store went through "
                + point.change()
                + ":\n"
                + tail(log(halting)));
      }
      assertEquals(HaltPoints.EXIT_CODE, halting.exitValue(), tail(log(halting)));
      assertTrue(
          Files.readString(log(halting)).contains("halt point " + point.name() + " reached"),
          "the operator exited otherwise than at " + point.name() + ":\n" + tail(log(halting)));
      Process next = operator(null);
      awaitConverged(namespace(point), next);
      after(point);
      assertInvariants();
      kill(next);
      figures.put(point.name(), (System.nanoTime() - begun) / 1_000_000);
    }
    System.out.println("kill test: halt point -> ms from the halting start to invariants held");
    figures.forEach((name, ms) -> System.out.println("  " + name + " " + ms));
    if (LONG) {
      randomKills();
    }
  }

  // --- the changes ---------------------------------------------------------------------------

  static String namespace(Point point) {
    return "halt-" + point.name();
  }

  static String registry(int index, String role) {
    return String.format(Locale.ROOT, "k%02d%s", index, role);
  }

  /** What must exist before the halting operator starts. */
  static void prepare(Point point, int index) throws Exception {
    String ns = namespace(point);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    switch (point.change()) {
      case BUILD -> {}
      case RETROFIT, APPROVE ->
          create(
              ns,
              store(
                  "retro", registry(index, "retro"), ReplicationStrategy.SingleReplication, true));
      case ADOPT -> {
        // As the portal leaves them: a Standard registry, and a Premium one with a replica.
        ContainerRegistryManager acr = acr();
        acr.serviceClient()
            .getRegistries()
            .create(
                PlatformBaseline.ARTIFACTS_GROUP,
                registry(index, "adopta"),
                new RegistryInner()
                    .withSku(new Sku().withName(SkuName.STANDARD))
                    .withLocation("eastus"));
        acr.serviceClient()
            .getRegistries()
            .create(
                PlatformBaseline.ARTIFACTS_GROUP,
                registry(index, "adoptb"),
                new RegistryInner()
                    .withSku(new Sku().withName(SkuName.PREMIUM))
                    .withLocation("eastus"));
        acr.serviceClient()
            .getReplications()
            .create(
                PlatformBaseline.ARTIFACTS_GROUP,
                registry(index, "adoptb"),
                "westus",
                new ReplicationInner().withLocation("westus"));
        retained.add(registry(index, "adopta"));
        retained.add(registry(index, "adoptb"));
      }
      case DELETE -> {
        ArtifactStore del =
            store("del", registry(index, "del"), ReplicationStrategy.GeoReplication, true);
        del.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
        create(ns, del);
        create(
            ns,
            store("keep", registry(index, "keep"), ReplicationStrategy.SingleReplication, false));
      }
    }
  }

  /** The change the halting operator is caught in. */
  static void change(Point point, int index) throws Exception {
    String ns = namespace(point);
    switch (point.change()) {
      case BUILD -> {
        // An endpoint only where the halt point needs one: a build with one takes three times as
        // long.
        boolean endpoint = point.name().startsWith("endpoint-") || point.name().startsWith("zone-");
        create(
            ns,
            store("build", registry(index, "build"), ReplicationStrategy.GeoReplication, endpoint));
      }
      case APPROVE -> {
        admin("POST", "faults/pending-after-replica", "{\"pending\":true}");
        toGeo(ns, "retro");
      }
      case RETROFIT -> toGeo(ns, "retro");
      case ADOPT -> {
        ArtifactStore a =
            store(
                "adopta", registry(index, "adopta"), ReplicationStrategy.SingleReplication, false);
        a.getSpec().setAdoptExisting(true);
        create(ns, a);
        ArtifactStore b =
            store("adoptb", registry(index, "adoptb"), ReplicationStrategy.GeoReplication, false);
        b.getSpec().setAdoptExisting(true);
        create(ns, b);
      }
      case DELETE -> {
        deleted.add(registry(index, "del"));
        retained.add(registry(index, "keep"));
        for (String name : List.of("del", "keep")) {
          client.resources(ArtifactStore.class).inNamespace(ns).withName(name).delete();
        }
      }
    }
  }

  static void after(Point point) throws Exception {
    if (point.change() == Change.APPROVE) {
      admin("POST", "faults/pending-after-replica", "{\"pending\":false}");
    }
  }

  static ArtifactStore store(
      String name, String registry, ReplicationStrategy strategy, boolean endpoint) {
    ArtifactStore store = new ArtifactStore();
    store.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    ArtifactStoreSpec spec = new ArtifactStoreSpec();
    spec.setSubscriptionId(PlatformBaseline.SUBSCRIPTION);
    spec.setResourceGroup(PlatformBaseline.ARTIFACTS_GROUP);
    spec.setLocation("eastus");
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

  static void create(String namespace, ArtifactStore store) {
    store.getMetadata().setNamespace(namespace);
    client.resource(store).create();
  }

  /** Single -> Geo, as kubectl apply would (the mock API server does not bump generations). */
  static void toGeo(String namespace, String name) {
    client
        .resources(ArtifactStore.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            s -> {
              s.getSpec().setReplicationStrategy(ReplicationStrategy.GeoReplication);
              s.getMetadata().setGeneration(s.getMetadata().getGeneration() + 1);
              return s;
            });
  }

  // --- processes -----------------------------------------------------------------------------

  static final Map<Process, Path> logs = new HashMap<>();

  /** A packaged operator, halting at {@code haltAt} when it is not null. */
  static Process operator(String haltAt) throws Exception {
    Path log =
        dir.resolve("operator-" + (++operators) + (haltAt == null ? "" : "-" + haltAt) + ".log");
    List<String> jvm =
        haltAt == null ? List.of() : List.of("-D" + HaltPoints.PROPERTY + "=" + haltAt);
    Process process =
        JarProcess.start(
            JarProcess.OPERATOR,
            log,
            jvm,
            List.of(
                "run",
                "--kubeconfig",
                kubeconfig.toString(),
                "--azure-endpoint",
                endpoint,
                "--azure-ca-cert",
                ca.toString(),
                "--cluster-id",
                CLUSTER,
                "--metrics-port",
                "0",
                "--health-port",
                "0",
                "--bind-address",
                "127.0.0.1"),
            Map.of());
    started.add(process);
    logs.put(process, log);
    return process;
  }

  static Path log(Process process) {
    return logs.get(process);
  }

  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  static String tail(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Every store of the namespace Ready for its generation, and every deleted one gone. */
  static void awaitConverged(String namespace, Process operator) {
    awaitConverged(namespace, operator, Duration.ofSeconds(120));
  }

  static void awaitConverged(String namespace, Process operator, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              assertTrue(operator.isAlive(), "the operator exited:\n" + tail(log(operator)));
              for (ArtifactStore s :
                  client.resources(ArtifactStore.class).inNamespace(namespace).list().getItems()) {
                if (s.getMetadata().getDeletionTimestamp() != null || !readyAtGeneration(s)) {
                  return false;
                }
              }
              return true;
            });
  }

  static boolean readyAtGeneration(ArtifactStore store) {
    Condition ready =
        store.getStatus() == null
            ? null
            : Conditions.find(store.getStatus().getConditions(), Conditions.READY);
    return ready != null
        && "True".equals(ready.getStatus())
        && store.getMetadata().getGeneration().equals(ready.getObservedGeneration());
  }

  // --- Azure as the simulator holds it ---------------------------------------------------------

  static ContainerRegistryManager acr() {
    return ContainerRegistryManager.configure()
        .withHttpClient(azure.httpClient())
        .authenticate(
            azure.defaultCredential(),
            new AzureProfile(
                azure.tenantFor(null), PlatformBaseline.SUBSCRIPTION, azure.environment()));
  }

  static JsonNode admin(String method, String path, String body) throws Exception {
    HttpRequest request =
        new HttpRequest(HttpMethod.valueOf(method), new URL(endpoint + "_simulator/" + path));
    if (body != null) {
      request.setHeader(com.azure.core.http.HttpHeaderName.CONTENT_TYPE, "application/json");
      request.setBody(body);
    }
    var response = azure.httpClient().send(request).block();
    String text = response.getBodyAsString().block();
    assertEquals(200, response.getStatusCode(), text);
    return JSON.readTree(text);
  }

  /**
   * Resources of a type by lower-case id: {@code /providers/microsoft.network/privateendpoints/}.
   */
  static Map<String, JsonNode> ofType(JsonNode resources, String type, String under) {
    Map<String, JsonNode> out = new TreeMap<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              String id = e.getKey();
              int at = id.lastIndexOf(type);
              if (at >= 0
                  && id.indexOf('/', at + type.length()) < 0
                  && id.startsWith(under.toLowerCase(Locale.ROOT))) {
                out.put(id, e.getValue());
              }
            });
    return out;
  }

  static String group(String name) {
    return ("/subscriptions/" + PlatformBaseline.SUBSCRIPTION + "/resourcegroups/" + name)
        .toLowerCase(Locale.ROOT);
  }

  static String markOf(JsonNode tags) {
    JsonNode mark = tags == null ? null : tags.get(MARK);
    return mark == null ? null : mark.asText();
  }

  /**
   * No store is Ready that Azure does not match: no duplicate or stray resource, nothing deleted
   * under Retain or adopted, every Delete complete, every resource written carries its store's one
   * mark, and the zone holds exactly the records the endpoints need; and no registry or replica was
   * ever created twice.
   */
  static void assertInvariants() throws Exception {
    JsonNode resources = admin("GET", "resources", null).get("resources");
    List<String> problems = new ArrayList<>();
    String artifacts = group(PlatformBaseline.ARTIFACTS_GROUP);
    String network = group(PlatformBaseline.NETWORK_GROUP);
    Map<String, JsonNode> registries =
        ofType(resources, "/providers/microsoft.containerregistry/registries/", artifacts);
    Map<String, JsonNode> endpoints =
        ofType(resources, "/providers/microsoft.network/privateendpoints/", network);
    Map<String, JsonNode> records =
        ofType(
            resources,
            "/providers/microsoft.network/privatednszones/privatelink.azurecr.io/a/",
            network);

    Set<String> wantedRegistries = new TreeSet<>(retained);
    Set<String> wantedEndpoints = new TreeSet<>();
    Set<String> wantedRecords = new TreeSet<>();
    for (ArtifactStore s :
        client.resources(ArtifactStore.class).inAnyNamespace().list().getItems()) {
      String ns = s.getMetadata().getNamespace();
      String name = s.getMetadata().getName();
      ArtifactStoreSpec spec = s.getSpec();
      String reg = spec.getRegistryName().toLowerCase(Locale.ROOT);
      String how = spec.isAdoptExisting() ? "adopted" : "created";
      String owner = CLUSTER + "/" + ns + "/" + name + "/";
      wantedRegistries.add(reg);
      String regId = artifacts + "/providers/microsoft.containerregistry/registries/" + reg;
      JsonNode registry = registries.get(regId);
      if (registry == null) {
        problems.add(ns + "/" + name + " is Ready without its registry " + reg);
        continue;
      }
      if (!(owner + how).equals(markOf(registry.get("tags")))) {
        problems.add(
            "registry "
                + reg
                + " carries "
                + markOf(registry.get("tags"))
                + ", not "
                + owner
                + how);
      }
      boolean geo = spec.getReplicationStrategy() == ReplicationStrategy.GeoReplication;
      Map<String, JsonNode> replicas =
          ofType(resources, "/replications/", regId + "/replications/");
      Set<String> regions = new TreeSet<>();
      replicas.values().forEach(r -> regions.add(r.get("location").asText()));
      Set<String> wantedRegions = geo ? Set.of("eastus", "westus") : Set.of("eastus");
      if (!regions.equals(wantedRegions) || replicas.size() != wantedRegions.size()) {
        problems.add(
            "registry " + reg + " has replicas in " + regions + ", wanted " + wantedRegions);
      }
      for (JsonNode replica : replicas.values()) {
        if ("westus".equals(replica.get("location").asText())
            && !(owner + how).equals(markOf(replica.get("tags")))) {
          problems.add("the replica of " + reg + " carries " + markOf(replica.get("tags")));
        }
      }
      if (spec.getPrivateEndpoints() != null && !spec.getPrivateEndpoints().isEmpty()) {
        for (PrivateEndpointSpec pe : spec.getPrivateEndpoints()) {
          String peId =
              network
                  + "/providers/microsoft.network/privateendpoints/"
                  + pe.getName().toLowerCase(Locale.ROOT);
          wantedEndpoints.add(peId);
          JsonNode found = endpoints.get(peId);
          if (found != null && !(owner + "created").equals(markOf(found.get("tags")))) {
            problems.add("endpoint " + pe.getName() + " carries " + markOf(found.get("tags")));
          }
        }
        wantedRecords.add(reg);
        for (String region : wantedRegions) {
          wantedRecords.add(reg + "." + region + ".data");
        }
        for (String record : List.of(reg, reg + ".eastus.data", reg + ".westus.data")) {
          JsonNode found =
              records.get(
                  network
                      + "/providers/microsoft.network/privatednszones/privatelink.azurecr.io/a/"
                      + record);
          String mark = found == null ? null : markOf(found.at("/properties/metadata"));
          // Written by the endpoint's zone group, a record is unmarked until the store writes it.
          if (found != null && mark != null && !mark.startsWith(owner)) {
            problems.add("record " + record + " carries " + mark + ", not " + owner + "...");
          }
        }
      }
    }
    Set<String> registryNames = new TreeSet<>();
    registries.keySet().forEach(id -> registryNames.add(id.substring(id.lastIndexOf('/') + 1)));
    if (!registryNames.equals(wantedRegistries)) {
      problems.add("registries " + registryNames + ", wanted " + wantedRegistries);
    }
    for (String gone : deleted) {
      if (registryNames.contains(gone)) {
        problems.add("registry " + gone + " of a store deleted under Delete is still there");
      }
    }
    if (!endpoints.keySet().equals(wantedEndpoints)) {
      problems.add("endpoints " + endpoints.keySet() + ", wanted " + wantedEndpoints);
    }
    Set<String> recordNames = new TreeSet<>();
    records.keySet().forEach(id -> recordNames.add(id.substring(id.lastIndexOf('/') + 1)));
    if (!recordNames.equals(wantedRecords)) {
      problems.add("zone records " + recordNames + ", wanted " + wantedRecords);
    }
    Map<String, Integer> puts = new TreeMap<>();
    for (JsonNode entry : admin("GET", "journal", null).get("entries")) {
      String path = entry.get("path").asText().toLowerCase(Locale.ROOT);
      if (entry.get("method").asText().equals("PUT")
          && entry.get("status").asInt() < 300
          && path.contains("/providers/microsoft.containerregistry/registries/")
          && !path.contains("/privateendpointconnections/")) {
        puts.merge(path, 1, Integer::sum);
      }
    }
    puts.forEach(
        (path, count) -> {
          if (count > 1) {
            problems.add(path + " was created " + count + " times");
          }
        });
    assertEquals(List.of(), problems, "invariants broken");
  }

  // --- long mode: random kills ---------------------------------------------------------------

  /**
   * Random SIGKILLs of the operator and of the simulator while stores are built, made
   * geo-replicated and deleted, each followed by a new process; then everything must converge and
   * the invariants hold.
   */
  static void randomKills() throws Exception {
    Random random = new Random(Long.getLong("kill.seed", 20261207L));
    String ns = "random-kills";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    Process operator = operator(null);
    int operatorKills = 0;
    int simulatorKills = 0;
    int storeIndex = 0;
    long begun = System.nanoTime();
    while (operatorKills < RANDOM_KILLS || simulatorKills < RANDOM_KILLS) {
      // A new store of one kind or another, and retrofits and deletions of earlier ones.
      for (int j = 0; j < 1; j++) {
        int n = storeIndex++;
        ReplicationStrategy strategy =
            n % 3 == 0 ? ReplicationStrategy.SingleReplication : ReplicationStrategy.GeoReplication;
        ArtifactStore s =
            store("s" + n, String.format(Locale.ROOT, "rk%04d", n), strategy, n % 2 == 0);
        if (n % 4 == 1) {
          s.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
        }
        create(ns, s);
      }
      for (ArtifactStore s :
          client.resources(ArtifactStore.class).inNamespace(ns).list().getItems()) {
        if (s.getMetadata().getDeletionTimestamp() == null
            && readyAtGeneration(s)
            && random.nextInt(8) == 0) {
          if (s.getSpec().getReplicationStrategy() == ReplicationStrategy.SingleReplication) {
            toGeo(ns, s.getMetadata().getName());
          } else if (s.getSpec().getDeletionPolicy() == DeletionPolicy.Delete) {
            // (Retain is the DELETE halt points' "keep" store: a retained endpoint would stay.)
            deleted.add(s.getSpec().getRegistryName().toLowerCase(Locale.ROOT));
            client.resource(s).delete();
          }
        }
      }
      // Long enough for a new operator to start and act (about 3 s here), short enough to land
      // in the middle of its work.
      Thread.sleep(2000 + random.nextInt(4000));
      boolean killSimulator =
          simulatorKills < RANDOM_KILLS && (operatorKills >= RANDOM_KILLS || random.nextBoolean());
      if (killSimulator) {
        kill(simulator);
        simulatorKills++;
        startSimulator(simulatorPort);
      } else {
        kill(operator);
        operatorKills++;
        operator = operator(null);
      }
    }
    long killing = (System.nanoTime() - begun) / 1_000_000;
    awaitConverged(ns, operator, Duration.ofMinutes(10));
    assertInvariants();
    System.out.println(
        "kill test, random kills: "
            + operatorKills
            + " operator SIGKILLs, "
            + simulatorKills
            + " simulator SIGKILLs over "
            + killing
            + " ms, "
            + storeIndex
            + " stores made, "
            + deleted.size()
            + " deleted under Delete; every invariant held after convergence");
    kill(operator);
  }
}
