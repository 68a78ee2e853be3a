package dev.artifactstore.operator.cli;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The name of this cluster in the marks the operator puts on what it creates in Azure: two clusters
 * syncing one Git folder must not take each other's stores for their own.
 */
final class ClusterId {
  private ClusterId() {}

  /** {@code given} when set, else the UID of the kube-system namespace; refuses when neither. */
  static String resolve(String given, KubernetesClient client) {
    if (given != null && !given.isBlank()) {
      if (given.contains("/")) {
        throw new UserError("--cluster-id must not contain '/': it is one part of a mark.");
      }
      return given.strip();
    }
    String why;
    try {
      Namespace system = client.namespaces().withName("kube-system").get();
      if (system != null && system.getMetadata().getUid() != null) {
        return system.getMetadata().getUid();
      }
      why = "there is no kube-system namespace";
    } catch (KubernetesClientException e) {
      why = "the kube-system namespace cannot be read (HTTP " + e.getCode() + ")";
    }
    throw new UserError(
        "cannot tell which cluster this is: "
            + why
            + ". Set --cluster-id (env ARTIFACTSTORE_CLUSTER_ID, chart value clusterId) to a name"
            + " unique to this cluster.");
  }
}
