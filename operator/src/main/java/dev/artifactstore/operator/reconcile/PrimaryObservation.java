package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Registry;

/** What EnsurePrimaryRegistry finds in Azure: the operation under way, or the registry itself. */
record PrimaryObservation(Kind kind, OperationState operation, Registry registry) {
  enum Kind {
    OPERATION_RUNNING,
    OPERATION_FAILED,
    /** This run's operation created the registry: it is as it was created. */
    CREATED,
    /** The last run found it missing and queued its creation. */
    CREATE_QUEUED,
    MISSING,
    RESOURCE_GROUP_MISSING,
    FOUND
  }
}
