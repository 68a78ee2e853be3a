package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.OperationState;
import java.time.Instant;

/** Why the primary registry cannot be as the spec says, in words a user can act on. */
final class RegistryProblems {
  private RegistryProblems() {}

  static Fact.Stop wrongRegion(DesiredStore d, String location) {
    return new Fact.Stop(
        Fact.isFalse(
            "WrongRegion",
            "Registry "
                + d.registryName()
                + " exists in "
                + location
                + ", not "
                + d.region()
                + "."),
        new StepResult.Stalled(
            "InvalidSpec",
            "Registry "
                + d.registryName()
                + " already exists in "
                + location
                + " but spec.location is "
                + d.region()
                + "; a registry cannot move. Set spec.location to "
                + location
                + " or use another registryName."));
  }

  static Fact.Stop nameUnavailable(DesiredStore d, AzureFailure e) {
    return new Fact.Stop(
        Fact.isFalse("NameUnavailable", e.getMessage()),
        new StepResult.Stalled(
            "NameUnavailable",
            "The registry name "
                + d.registryName()
                + " is taken by another Azure customer or subscription ("
                + e.describe()
                + "). Choose another spec.registryName."));
  }

  static Fact.Stop resourceGroupMissing(DesiredStore d) {
    return new Fact.Stop(
        Fact.isFalse(
            "ResourceGroupNotFound", "Resource group " + d.resourceGroup() + " does not exist."),
        new StepResult.Stalled(
            "ResourceGroupNotFound",
            "Resource group "
                + d.resourceGroup()
                + " does not exist in subscription "
                + d.subscription()
                + "; the operator does not create resource groups. Create it or fix"
                + " spec.resourceGroup."));
  }

  static Fact.Stop provisioningFailed(
      DesiredStore d, OperationState op, Instant failingSince, Instant now) {
    String text =
        "Azure failed to provision registry "
            + d.registryName()
            + ": "
            + (op.code().isEmpty() ? "" : op.code() + ": ")
            + op.message();
    return new Fact.Stop(
        Fact.isFalse("ProvisioningFailed", text),
        new StepResult.Failed(
            "ProvisioningFailed",
            text + " Retrying with backoff.",
            Backoff.retry(failingSince, now)));
  }
}
