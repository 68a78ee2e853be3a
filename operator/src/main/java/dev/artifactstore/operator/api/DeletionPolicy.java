package dev.artifactstore.operator.api;

/** What happens to the Azure resources when the ArtifactStore is deleted. */
public enum DeletionPolicy {
  /** Azure resources outlive the ArtifactStore. */
  Retain,
  /** The operator removes what it created, newest first. */
  Delete
}
