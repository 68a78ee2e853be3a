package dev.artifactstore.operator.reconcile;

import com.azure.core.credential.TokenCredential;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.AzureClients;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Step: the identity the store acts with in Azure, and its ports. The Secret that {@code
 * spec.credentialsSecretRef} names, else the operator's own identity.
 */
final class ResolveCredentials implements Step {
  private static final List<String> KEYS = List.of("tenantId", "clientId", "clientSecret");

  private final AzureClients clients;
  private final ReconcileChain.SecretReader secrets;

  ResolveCredentials(AzureClients clients, ReconcileChain.SecretReader secrets) {
    this.clients = clients;
    this.secrets = secrets;
  }

  @Override
  public StepResult run(StoreContext ctx) {
    SecretReference ref = ctx.store.getSpec().getCredentialsSecretRef();
    if (ref == null || ref.getName() == null) {
      connect(ctx, "operator", () -> clients.connection().defaultCredential());
      return StepResult.done();
    }
    String namespace = ctx.store.getMetadata().getNamespace();
    Map<String, String> data = secrets.apply(namespace, ref.getName());
    if (data == null) {
      return new StepResult.Stalled(
          "InvalidSpec",
          "spec.credentialsSecretRef names Secret "
              + ref.getName()
              + ", which does not exist in namespace "
              + namespace
              + ". Create it with the keys tenantId, clientId and clientSecret.");
    }
    List<String> missing =
        KEYS.stream().filter(k -> data.get(k) == null || data.get(k).isBlank()).toList();
    if (!missing.isEmpty()) {
      return new StepResult.Stalled(
          "InvalidSpec",
          "Secret "
              + ref.getName()
              + " lacks "
              + String.join(", ", missing)
              + "; it needs tenantId, clientId and clientSecret.");
    }
    // The key names the Secret's version, never its content, so a rotated secret gets new clients.
    String identity =
        "secret:"
            + namespace
            + "/"
            + ref.getName()
            + "@"
            + data.getOrDefault("__resourceVersion", "");
    connect(
        ctx,
        identity,
        () ->
            clients
                .connection()
                .servicePrincipal(
                    data.get("tenantId"), data.get("clientId"), data.get("clientSecret")));
    return StepResult.done();
  }

  private void connect(StoreContext ctx, String identity, Supplier<TokenCredential> credential) {
    ctx.ports = clients.ports(ctx.desired.subscription(), identity, credential);
    ctx.portsFor = subscription -> clients.ports(subscription, identity, credential);
  }
}
