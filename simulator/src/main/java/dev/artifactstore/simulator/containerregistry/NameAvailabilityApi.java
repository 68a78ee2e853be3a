package dev.artifactstore.simulator.containerregistry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmContext;
import dev.artifactstore.simulator.arm.ArmRequest;
import dev.artifactstore.simulator.arm.ArmResponse;
import dev.artifactstore.simulator.arm.Router;
import dev.artifactstore.simulator.state.Json;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registry names: 5-50 alphanumeric characters, unique across all subscriptions because the name is
 * the login server's DNS name.
 */
final class NameAvailabilityApi {
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]{5,50}$");

  private final ArmContext arm;

  NameAvailabilityApi(ArmContext arm, Router router) {
    this.arm = arm;
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability",
        Set.of("POST"),
        ContainerRegistryApi.NAMESPACE,
        ContainerRegistryApi.REGISTRY_TYPE,
        this::checkName);
  }

  static boolean isValid(String name) {
    return NAME.matcher(name).matches();
  }

  private ArmResponse checkName(ArmRequest request) {
    arm.requireSubscription(request.var("sub"));
    String name = Json.text(request.bodyObject(), "/name");
    ObjectNode answer = Json.object();
    if (name == null || !isValid(name)) {
      answer.put("nameAvailable", false);
      answer.put("reason", "Invalid");
      answer.put(
          "message", "The registry name must be 5-50 alphanumeric characters: '" + name + "'.");
    } else if (findByName(arm, name) != null) {
      answer.put("nameAvailable", false);
      answer.put("reason", "AlreadyExists");
      answer.put("message", "The registry " + name + " is already in use.");
    } else {
      answer.put("nameAvailable", true);
    }
    return ArmResponse.ok(answer);
  }

  static ObjectNode findByName(ArmContext arm, String name) {
    String suffix =
        "/providers/microsoft.containerregistry/registries/" + name.toLowerCase(Locale.ROOT);
    List<ObjectNode> found = arm.store().list(k -> k.endsWith(suffix));
    return found.isEmpty() ? null : found.get(0);
  }
}
