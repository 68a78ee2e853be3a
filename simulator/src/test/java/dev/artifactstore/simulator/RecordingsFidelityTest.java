package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the requests of live-Azure recordings against the simulator and compares what came back:
 * status codes (with the documented era differences), long-running-operation headers, error codes,
 * and that every field the recording shows in a body exists in the simulator's.
 */
class RecordingsFidelityTest {
  private static final Pattern COVERED =
      Pattern.compile(
          "(?i)^/subscriptions/[^/]+/resourcegroups/[^/]+$"
              + "|.*/providers/microsoft\\.containerregistry/registries/[^/]+(/replications(/[^/]+)?)?$"
              + "|.*/providers/microsoft\\.network/(virtualnetworks/[^/]+(/subnets/[^/]+)?|privateendpoints/[^/]+(/privatednszonegroups/[^/]+)?)$"
              + "|.*/providers/microsoft\\.network/privatednszones/[^/]+(/[^/]+(/[^/]+)?)?$");
  private static final Pattern POLL =
      Pattern.compile(
          "(?i).*/(operationstatuses|operations|operationresults|privatednsoperationstatuses|privatednsoperationresults)/[^/]+$");

  /** Fields a recording may show that the simulator leaves out on purpose. */
  private static final Set<String> NOT_MODELLED = Set.of("systemData", "managedBy", "tags");

  @TempDir Path dataDir;

  static Stream<Path> recordings() throws Exception {
    return Recordings.files().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void simulatorAnswersLikeLiveAzure(Path file) throws Exception {
    List<Recordings.Interaction> interactions = Recordings.read(file);
    List<String> problems = new ArrayList<>();
    int replayed = 0;
    try (Simulator simulator =
        Simulator.start(Simulator.options().port(0).dataDir(dataDir).throttling(false))) {
      ArmHttp arm = new ArmHttp(simulator);
      createPreconditions(arm, interactions);
      Map<String, String> pollUrls = new HashMap<>();
      List<String> skipped = new ArrayList<>();
      for (Recordings.Interaction it : interactions) {
        java.net.URI uri = java.net.URI.create(it.url().replace(" ", "%20"));
        String path = uri.getRawPath();
        String pathAndQuery =
            rewrite(path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        boolean poll = POLL.matcher(path).matches();
        if (poll) {
          String mapped = pollUrls.get(stripHost(it.url()));
          if (mapped == null) {
            continue;
          }
          pathAndQuery = mapped;
        } else if (!COVERED.matcher(path).matches()
            || skipped.stream().anyMatch(s -> path.toLowerCase(Locale.ROOT).startsWith(s))) {
          continue;
        } else if (referencesUncovered(it.requestBody())) {
          skipped.add(path.toLowerCase(Locale.ROOT));
          continue;
        }
        ArmHttp.Response ours =
            arm.call(
                it.method(),
                pathAndQuery,
                it.requestBody().isEmpty() ? null : rewrite(it.requestBody()));
        replayed++;
        String where = "#" + it.index() + " " + it.method() + " " + path;
        for (String header : List.of("azure-asyncoperation", "location")) {
          String recorded = it.header(header);
          String simulated = ours.header(header);
          if (recorded != null && simulated != null) {
            pollUrls.put(
                stripHost(recorded), "/" + simulated.substring(simulator.endpoint().length()));
          }
        }
        compare(where, it, ours, poll, problems);
      }
    }
    System.out.printf(
        "%s: %d of %d interactions replayed, %d differences%n",
        file.getFileName(), replayed, interactions.size(), problems.size());
    assertTrue(replayed > 0, "nothing replayed from " + file);
    assertTrue(
        problems.isEmpty(),
        file.getFileName() + " differs from live Azure:\n  " + String.join("\n  ", problems));
  }

  private static final Pattern RESOURCE_GROUP =
      Pattern.compile("(?i)/subscriptions/[^/]+/resourceGroups/([^/?]+)");
  private static final Pattern VNET =
      Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/\"?]+)");

  /**
   * What existed before the recorded test ran: resource groups it did not create, and virtual
   * networks its bodies reference without creating them.
   */
  private static void createPreconditions(ArmHttp arm, List<Recordings.Interaction> interactions) {
    Set<String> created = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    Set<String> groups = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, String> vnets = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Recordings.Interaction it : interactions) {
      String path = java.net.URI.create(it.url().replace(" ", "%20")).getRawPath();
      if (it.method().equals("PUT")) {
        created.add(path);
      }
      var g = RESOURCE_GROUP.matcher(path);
      if (g.find() && !created.contains(path.substring(0, g.end()))) {
        groups.add(g.group(1));
      }
      var v = VNET.matcher(it.requestBody());
      while (v.find()) {
        vnets.put(v.group(2), v.group(1));
      }
      var own = VNET.matcher(path);
      if (own.find() && it.method().equals("PUT")) {
        created.add("vnet:" + own.group(2));
      }
    }
    String sub = "/subscriptions/" + Simulator.DEFAULT_SUBSCRIPTION + "/resourceGroups/";
    groups.addAll(vnets.values());
    for (String group : groups) {
      arm.call("PUT", sub + group + "?api-version=2024-11-01", Map.of("location", "eastus"));
    }
    vnets.forEach(
        (vnet, group) -> {
          if (!created.contains("vnet:" + vnet)) {
            arm.call(
                "PUT",
                sub
                    + group
                    + "/providers/Microsoft.Network/virtualNetworks/"
                    + vnet
                    + "?api-version=2025-03-01",
                Map.of(
                    "location",
                    "eastus",
                    "properties",
                    Map.of("addressSpace", Map.of("addressPrefixes", List.of("10.0.0.0/16")))));
          }
        });
  }

  private static String stripHost(String url) {
    return url.replaceFirst("^https://[^/]+", "");
  }

  private static String rewrite(String text) {
    return text.replace("00000000-0000-0000-0000-000000000000", Simulator.DEFAULT_SUBSCRIPTION);
  }

  /** Private endpoints to services the simulator does not model (storage accounts) are skipped. */
  private static boolean referencesUncovered(String body) {
    return body.contains("Microsoft.Storage/");
  }

  private static void compare(
      String where,
      Recordings.Interaction it,
      ArmHttp.Response ours,
      boolean poll,
      List<String> problems) {
    int recorded = it.status();
    int simulated = ours.status();
    if (!equivalent(it.method(), recorded, simulated, poll)) {
      problems.add(where + ": live " + recorded + ", simulator " + simulated + " " + ours.body());
      return;
    }
    if (recorded >= 400) {
      String liveCode = errorCode(it.responseBody());
      if (liveCode != null && !liveCode.equals(ours.code())) {
        problems.add(where + ": live error " + liveCode + ", simulator " + ours.code());
      }
      return;
    }
    // Poll URLs are compared only while the simulator's operation still runs too.
    boolean oursRunning = simulated == 201 || simulated == 202;
    if (oursRunning
        && (recorded == 201 || recorded == 202)
        && it.header("azure-asyncoperation") != null
        && ours.header("azure-asyncoperation") == null
        && ours.header("location") == null) {
      problems.add(where + ": live sends Azure-AsyncOperation, simulator no poll URL");
    }
    if (oursRunning
        && recorded == 202
        && it.header("location") != null
        && ours.header("location") == null
        && ours.header("azure-asyncoperation") == null) {
      problems.add(where + ": live sends Location, simulator no poll URL");
    }
    if (!poll && !it.responseBody().isBlank() && ours.body() != null && simulated == recorded) {
      try {
        JsonNode live = ArmHttp.JSON.readTree(it.responseBody());
        Set<String> missing = new TreeSet<>();
        missingFields(live, ours.body(), "", missing);
        if (!missing.isEmpty()) {
          if (Boolean.getBoolean("fidelity.debug")) {
            System.out.println("LIVE " + live + "\nOURS " + ours.body());
          }
          problems.add(where + ": fields missing from the simulator's body: " + missing);
        }
      } catch (Exception notJson) {
        // Some recordings keep non-JSON bodies; nothing to compare.
      }
    }
  }

  private static boolean equivalent(String method, int live, int simulated, boolean poll) {
    if (live == simulated) {
      return true;
    }
    if (poll) {
      // A poll may find the operation still running or already done, depending on timing.
      return Set.of(200, 202, 204).contains(live) && Set.of(200, 202, 204).contains(simulated);
    }
    return switch (method.toUpperCase(Locale.ROOT)) {
      // Era differences: creates answer 200 Succeeded or 201 Creating; some PUTs are 202.
      case "PUT", "PATCH" ->
          Set.of(200, 201, 202).contains(live) && Set.of(200, 201, 202).contains(simulated);
      case "DELETE" ->
          Set.of(200, 202, 204).contains(live) && Set.of(200, 202, 204).contains(simulated);
      default -> false;
    };
  }

  private static String errorCode(String body) {
    try {
      return ArmHttp.JSON.readTree(body).at("/error/code").asText(null);
    } catch (Exception e) {
      return null;
    }
  }

  private static void missingFields(
      JsonNode live, JsonNode ours, String path, Set<String> missing) {
    if (live.isObject()) {
      live.fields()
          .forEachRemaining(
              f -> {
                if (NOT_MODELLED.contains(f.getKey()) || f.getValue().isNull()) {
                  return;
                }
                JsonNode mine = ours == null ? null : ours.get(f.getKey());
                if (mine == null) {
                  missing.add(path + f.getKey());
                } else {
                  missingFields(f.getValue(), mine, path + f.getKey() + ".", missing);
                }
              });
    } else if (live.isArray()
        && !live.isEmpty()
        && ours != null
        && ours.isArray()
        && !ours.isEmpty()) {
      for (JsonNode item : live) {
        missingFields(item, counterpart(item, ours), path + "[].", missing);
      }
    }
  }

  /** The element of {@code ours} with the same name (or type), else the first. */
  private static JsonNode counterpart(JsonNode item, JsonNode ours) {
    for (String key : List.of("name", "type")) {
      if (item.hasNonNull(key)) {
        for (JsonNode candidate : ours) {
          if (item.get(key).asText().equalsIgnoreCase(candidate.path(key).asText())) {
            return candidate;
          }
        }
      }
    }
    return ours.get(0);
  }
}
