package dev.artifactstore.operator.reconcile;

import com.azure.core.credential.TokenCredential;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.AzureClients;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Step: the identity the store acts with in Azure, and its ports. In order: the Secret that {@code
 * spec.credentialsSecretRef} names (in the store's namespace), else the Secret {@value
 * #NAMESPACE_SECRET} in the store's namespace, else the operator's own identity, which only the
 * namespaces the admin lists may use. Secrets come from the operator's watch of labelled Secrets.
 */
final class ResolveCredentials implements Step {
  static final String NAMESPACE_SECRET = "artifactstore-azure-credentials";
  static final String REQUIRED = "CredentialsRequired";
  static final String NOT_LABELLED = "CredentialsSecretNotLabelled";

  private static final List<String> KEYS = List.of("tenantId", "clientId", "clientSecret");

  private final AzureClients clients;
  private final ReconcileChain.CredentialSecrets secrets;
  private final Tenancy tenancy;

  ResolveCredentials(
      AzureClients clients, ReconcileChain.CredentialSecrets secrets, Tenancy tenancy) {
    this.clients = clients;
    this.secrets = secrets;
    this.tenancy = tenancy;
  }

  @Override
  public StepResult run(StoreContext ctx) {
    String namespace = ctx.store.getMetadata().getNamespace();
    SecretReference ref = ctx.store.getSpec().getCredentialsSecretRef();
    if (ref != null && ref.getName() != null) {
      Map<String, String> data = secrets.labelled(namespace, ref.getName());
      if (data == null) {
        return secrets.exists(namespace, ref.getName())
            ? notLabelled(namespace, ref.getName())
            : new StepResult.Stalled(
                "InvalidSpec",
                "spec.credentialsSecretRef names Secret "
                    + ref.getName()
                    + ", which does not exist in namespace "
                    + namespace
                    + ". Create it with the keys tenantId, clientId and clientSecret and the label "
                    + ReconcileChain.CredentialSecrets.LABEL
                    + "=true.");
      }
      return withSecret(ctx, namespace, ref.getName(), data);
    }
    Map<String, String> data = secrets.labelled(namespace, NAMESPACE_SECRET);
    if (data != null) {
      return withSecret(ctx, namespace, NAMESPACE_SECRET, data);
    }
    if (!tenancy.mayUseOperatorIdentity(namespace)) {
      return new StepResult.Stalled(
          REQUIRED,
          "Stores in namespace "
              + namespace
              + " may not use the operator's own Azure identity (--operator-identity-namespaces)."
              + " Create the Secret "
              + NAMESPACE_SECRET
              + " in "
              + namespace
              + " with the keys tenantId, clientId and clientSecret and the label "
              + ReconcileChain.CredentialSecrets.LABEL
              + "=true, or name such a Secret in spec.credentialsSecretRef.");
    }
    connect(ctx, "operator", () -> clients.connection().defaultCredential());
    return StepResult.done();
  }

  private StepResult withSecret(
      StoreContext ctx, String namespace, String name, Map<String, String> data) {
    List<String> missing =
        KEYS.stream().filter(k -> data.get(k) == null || data.get(k).isBlank()).toList();
    if (!missing.isEmpty()) {
      return new StepResult.Stalled(
          "InvalidSpec",
          "Secret "
              + name
              + " lacks "
              + String.join(", ", missing)
              + "; it needs tenantId, clientId and clientSecret.");
    }
    // The key names the Secret's version, never its content, so a rotated secret gets new clients
    // and the old version's clients are dropped.
    String secret = "secret:" + namespace + "/" + name + "@";
    String version = data.getOrDefault("__resourceVersion", "");
    clients.retire(secret, version);
    connect(
        ctx,
        secret + version,
        () ->
            clients
                .connection()
                .servicePrincipal(
                    data.get("tenantId"), data.get("clientId"), data.get("clientSecret")));
    return StepResult.done();
  }

  private static StepResult notLabelled(String namespace, String name) {
    return new StepResult.Stalled(
        NOT_LABELLED,
        "Secret "
            + name
            + " in namespace "
            + namespace
            + " exists but lacks the label "
            + ReconcileChain.CredentialSecrets.LABEL
            + "=true, so the operator does not watch it. Label it: kubectl label secret "
            + name
            + " -n "
            + namespace
            + " "
            + ReconcileChain.CredentialSecrets.LABEL
            + "=true");
  }

  private void connect(StoreContext ctx, String identity, Supplier<TokenCredential> credential) {
    ctx.identity = identity;
    ctx.ports = clients.ports(ctx.desired.subscription(), identity, credential);
    ctx.portsFor = subscription -> clients.ports(subscription, identity, credential);
  }
}
