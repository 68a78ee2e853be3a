package dev.artifactstore.operator.api;

/** The Azure service that backs a store. */
public enum StoreType {
  AzureContainerRegistry
}
