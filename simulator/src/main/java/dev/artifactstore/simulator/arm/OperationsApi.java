package dev.artifactstore.simulator.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.state.Json;
import java.util.Set;

/**
 * The URLs clients poll: operation-status resources (Azure-AsyncOperation) and operation results
 * (Location), in the shapes each provider uses.
 */
public final class OperationsApi {
  private static final Set<String> GET = Set.of("GET");
  private final ArmContext arm;

  public OperationsApi(ArmContext arm, Router router) {
    this.arm = arm;
    String acr = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry";
    router.add(
        acr + "/registries/{name}/operationStatuses/{op}",
        GET,
        "Microsoft.ContainerRegistry",
        "Microsoft.ContainerRegistry/operationStatuses",
        r -> status(r, 200));
    router.add(
        acr + "/registries/{name}/replications/{rep}/operationStatuses/{op}",
        GET,
        "Microsoft.ContainerRegistry",
        "Microsoft.ContainerRegistry/operationStatuses",
        r -> status(r, 200));
    router.add(
        acr + "/registries/{name}/privateEndpointConnections/{conn}/operationStatuses/{op}",
        GET,
        "Microsoft.ContainerRegistry",
        "Microsoft.ContainerRegistry/operationStatuses",
        r -> status(r, 200));
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/locations/{loc}/operationResults/{op}",
        GET,
        "Microsoft.ContainerRegistry",
        "Microsoft.ContainerRegistry/operationResults",
        this::result);
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operations/{op}",
        GET,
        "Microsoft.Network",
        "Microsoft.Network/operations",
        r -> status(r, 200));
    router.add(
        "/subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/operationResults/{op}",
        GET,
        "Microsoft.Network",
        "Microsoft.Network/operationResults",
        this::result);
    // Private DNS answers 202 while its operation runs (seen in live recordings).
    router.add(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateDnsOperationStatuses/{op}",
        GET,
        "Microsoft.Network/privateDnsZones",
        "Microsoft.Network/privateDnsOperationStatuses",
        r -> status(r, 202));
    router.add(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateDnsOperationResults/{op}",
        GET,
        "Microsoft.Network/privateDnsZones",
        "Microsoft.Network/privateDnsOperationResults",
        this::result);
    router.add(
        "/subscriptions/{sub}/operationresults/{op}",
        GET,
        "Microsoft.Resources",
        "Microsoft.Resources/operationResults",
        this::result);
  }

  private ObjectNode find(ArmRequest request) {
    ObjectNode op = arm.operations().find(request.var("op"));
    if (op == null) {
      throw new ArmException(
          404, "OperationNotFound", "The operation '" + request.var("op") + "' was not found.");
    }
    return op;
  }

  private ArmResponse status(ArmRequest request, int inProgressStatus) {
    ObjectNode op = find(request);
    String status = op.get("status").asText();
    ObjectNode body = Json.object();
    body.put("id", request.path());
    body.put("name", op.get("id").asText());
    body.put("startTime", op.get("startTime").asText());
    if (status.equals("InProgress")) {
      body.put("status", inProgressWord(op));
      ArmResponse running =
          ArmResponse.of(inProgressStatus, body)
              .header("Retry-After", Long.toString(arm.operations().retryAfterSeconds(op)));
      if (inProgressStatus == 202) {
        // Private DNS repeats both poll URLs on every 202 (seen in live recordings).
        running
            .header("Azure-AsyncOperation", ArmContext.absolute(request, request.path()))
            .header(
                "Location",
                ArmContext.absolute(
                    request, request.path().replace("OperationStatuses", "OperationResults")));
      }
      return running;
    }
    body.put("status", status);
    body.put("endTime", op.get("endTime").asText());
    if (op.has("error")) {
      body.set("error", op.get("error"));
    }
    return ArmResponse.ok(body);
  }

  private ArmResponse result(ArmRequest request) {
    ObjectNode op = find(request);
    String status = op.get("status").asText();
    if (status.equals("InProgress")) {
      return ArmResponse.empty(202)
          .header("Location", ArmContext.absolute(request, request.path()))
          .header("Retry-After", Long.toString(arm.operations().retryAfterSeconds(op)));
    }
    if (status.equals("Failed")) {
      throw new ArmException(400, op.at("/error/code").asText(), op.at("/error/message").asText());
    }
    if (op.get("action").asText().equals("delete")) {
      return ArmResponse.empty(200);
    }
    ObjectNode resource = arm.store().get(op.get("resourceId").asText());
    return resource == null ? ArmResponse.empty(204) : ArmResponse.ok(resource);
  }

  /**
   * ACR reports the in-progress state with its provisioning word ("Creating"), others InProgress.
   */
  private static String inProgressWord(ObjectNode op) {
    String type = op.get("type").asText();
    if (type.equals("registry") || type.equals("replication")) {
      return switch (op.get("action").asText()) {
        case "create" -> "Creating";
        case "delete" -> "Deleting";
        default -> "Updating";
      };
    }
    return "InProgress";
  }
}
