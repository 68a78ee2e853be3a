package dev.artifactstore.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An A record the registry needs in the private DNS zone, as last observed. */
public class DnsRecordStatus {
  @JsonPropertyDescription(
      "Name clients resolve, e.g. contosoartifacts.westus.data.azurecr.io (privately through"
          + " privatelink.azurecr.io).")
  private String fqdn;

  @JsonPropertyDescription("Private IP addresses the record holds.")
  private List<String> ipAddresses = new ArrayList<>();

  public DnsRecordStatus() {}

  public DnsRecordStatus(String fqdn, List<String> ipAddresses) {
    this.fqdn = fqdn;
    this.ipAddresses = new ArrayList<>(ipAddresses);
  }

  public String getFqdn() {
    return fqdn;
  }

  public void setFqdn(String fqdn) {
    this.fqdn = fqdn;
  }

  public List<String> getIpAddresses() {
    return ipAddresses;
  }

  public void setIpAddresses(List<String> ipAddresses) {
    this.ipAddresses = ipAddresses;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsRecordStatus r
        && Objects.equals(fqdn, r.fqdn)
        && Objects.equals(ipAddresses, r.ipAddresses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fqdn, ipAddresses);
  }
}
