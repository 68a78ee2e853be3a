package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Replica;

/**
 * What EnsurePairedReplica finds in Azure: the operation adding the replica, or the replica itself.
 */
record ReplicaObservation(
    Kind kind, PendingOperation pending, OperationState operation, Replica replica) {
  enum Kind {
    NOT_REQUIRED,
    /** Nothing to read: the registry is new, or the last run found the replica missing. */
    CREATE_NOW,
    OPERATION_RUNNING,
    OPERATION_FAILED,
    /** The listing's answer: {@code replica} is null when the region has none. */
    LISTED
  }
}
