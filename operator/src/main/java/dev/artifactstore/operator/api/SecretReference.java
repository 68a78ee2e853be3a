package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the ArtifactStore's namespace. */
public class SecretReference {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of a Secret in the ArtifactStore's namespace holding the keys tenantId, clientId and"
          + " clientSecret of a service principal.")
  private String name;

  public SecretReference() {}

  public SecretReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
