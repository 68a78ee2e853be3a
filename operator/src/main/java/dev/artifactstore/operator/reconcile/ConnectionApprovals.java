package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.Connection;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.RegistryPort;
import dev.artifactstore.operator.azure.Started;
import java.util.Optional;
import java.util.Set;

/**
 * A spec endpoint's connection left Pending (after a new replica, or a manual request) is approved
 * on the registry, as `az acr private-endpoint-connection approve` does: writing the endpoint again
 * approves nothing. Once per generation: when the identity may not approve, the store is Stalled
 * with the command a human runs, and retries send nothing until the connection changes.
 */
final class ConnectionApprovals {
  static final String APPROVING = "ApprovingConnection";
  static final String WAITING = "WaitingForConnectionApproval";
  static final String APPROVAL_REQUIRED = "ConnectionApprovalRequired";

  private ConnectionApprovals() {}

  static Fact.Stop approve(StoreContext ctx, DesiredStore.Endpoint endpoint, PrivateEndpoint pe) {
    DesiredStore d = ctx.desired;
    RegistryPort registries = ctx.ports.registries();
    if (ctx.lastStoppedAt(Set.of(APPROVING, WAITING))) {
      return new Fact.Stop(
          Fact.isFalse(
              "ConnectionPending",
              "The connection of private endpoint " + endpoint.name() + " is being approved."),
          new StepResult.Progressing(
              WAITING,
              "Waiting for the approval of private endpoint "
                  + endpoint.name()
                  + "'s connection to show on the endpoint.",
              Backoff.DEFAULT_POLL));
    }
    Optional<Connection> connection =
        registries.connections(d.resourceGroup(), d.registryName()).stream()
            .filter(c -> pe.id().equalsIgnoreCase(c.endpointId()))
            .findFirst();
    String name = connection.map(Connection::name).orElse("<connection name>");
    if (connection.isEmpty() || ctx.lastStalledFor(APPROVAL_REQUIRED)) {
      return required(ctx, endpoint, name, "");
    }
    Started started;
    try {
      started = registries.approveConnection(d.resourceGroup(), d.registryName(), name);
    } catch (AzureFailure e) {
      if (e.kind() != AzureFailure.Kind.AUTHORIZATION) {
        throw e;
      }
      return required(
          ctx, endpoint, name, " The operator's identity may not approve it: " + e.describe());
    }
    return new Fact.Stop(
        Fact.isFalse(
            "ConnectionPending",
            "Approving the connection of private endpoint " + endpoint.name() + "."),
        new StepResult.Progressing(
            APPROVING,
            "The connection of private endpoint "
                + endpoint.name()
                + " to registry "
                + d.registryName()
                + " is Pending; approving it on the registry.",
            Backoff.poll(started.retryAfter())));
  }

  private static Fact.Stop required(
      StoreContext ctx, DesiredStore.Endpoint endpoint, String connection, String why) {
    DesiredStore d = ctx.desired;
    String command =
        "az acr private-endpoint-connection approve --registry-name "
            + d.registryName()
            + " --resource-group "
            + d.resourceGroup()
            + " --name "
            + connection;
    return new Fact.Stop(
        Fact.isFalse(
            "ConnectionPending",
            "The connection of private endpoint " + endpoint.name() + " waits for approval."),
        new StepResult.Stalled(
            APPROVAL_REQUIRED,
            "The connection of private endpoint "
                + endpoint.name()
                + " to registry "
                + d.registryName()
                + " is Pending: nothing reaches the registry through it until it is approved."
                + why
                + " Approve it with: "
                + command
                + " (or grant the identity"
                + " Microsoft.ContainerRegistry/registries/privateEndpointConnectionsApproval/action)."));
  }
}
