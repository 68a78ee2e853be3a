package dev.artifactstore.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An artifact store: an Azure Container Registry, optionally geo-replicated to the paired region.
 */
@Group(ArtifactStore.GROUP)
@Version(ArtifactStore.VERSION)
@Kind("ArtifactStore")
@Plural("artifactstores")
@Singular("artifactstore")
@ShortNames("astore")
@AdditionalPrinterColumn(
    name = "Strategy",
    jsonPath = ".spec.replicationStrategy",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Primary",
    jsonPath = ".spec.location",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Replica",
    jsonPath = ".status.replicas[0].region",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ArtifactStore extends CustomResource<ArtifactStoreSpec, ArtifactStoreStatus>
    implements Namespaced {
  public static final String GROUP = "artifactstore.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected ArtifactStoreStatus initStatus() {
    return new ArtifactStoreStatus();
  }
}
