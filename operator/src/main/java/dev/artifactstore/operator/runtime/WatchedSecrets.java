package dev.artifactstore.operator.runtime;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.reconcile.ReconcileChain;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Credential Secrets from a watch of Secrets labelled {@value
 * ReconcileChain.CredentialSecrets#LABEL}{@code =true}, in the namespaces the operator watches: a
 * changed Secret reconciles the stores that use it, and no reconcile reads a Secret from the API
 * server.
 */
final class WatchedSecrets implements ReconcileChain.CredentialSecrets {
  static final String NAMESPACE_SECRET = "artifactstore-azure-credentials";

  private final KubernetesClient client;
  private volatile InformerEventSource<Secret, ArtifactStore> informer;

  WatchedSecrets(KubernetesClient client) {
    this.client = client;
  }

  /** The watch, for the framework to start with the stores' own. */
  InformerEventSource<Secret, ArtifactStore> eventSource(
      EventSourceContext<ArtifactStore> context) {
    var config =
        InformerEventSourceConfiguration.from(Secret.class, ArtifactStore.class)
            .withName("credential-secrets")
            .withLabelSelector(LABEL + "=true")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                secret -> {
                  String namespace = secret.getMetadata().getNamespace();
                  String name = secret.getMetadata().getName();
                  return context
                      .getPrimaryCache()
                      .list(namespace, store -> name.equals(secretOf(store)))
                      .map(ResourceID::fromResource)
                      .collect(Collectors.toSet());
                })
            .build();
    informer = new InformerEventSource<>(config, context);
    return informer;
  }

  /** The Secret a store's credentials come from, if any: the one it names, else the default. */
  private static String secretOf(ArtifactStore store) {
    SecretReference ref =
        store.getSpec() == null ? null : store.getSpec().getCredentialsSecretRef();
    return ref != null && ref.getName() != null ? ref.getName() : NAMESPACE_SECRET;
  }

  @Override
  public Map<String, String> labelled(String namespace, String name) {
    InformerEventSource<Secret, ArtifactStore> watch = informer;
    if (watch == null) {
      return null;
    }
    return watch.get(new ResourceID(name, namespace)).map(WatchedSecrets::decoded).orElse(null);
  }

  @Override
  public boolean exists(String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get() != null;
  }

  /** A Secret's data, decoded; its resourceVersion under {@code __resourceVersion}. */
  static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim()));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    data.put("__resourceVersion", String.valueOf(secret.getMetadata().getResourceVersion()));
    return data;
  }
}
