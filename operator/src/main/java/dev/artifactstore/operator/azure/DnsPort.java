package dev.artifactstore.operator.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.privatedns.models.ARecord;
import com.azure.resourcemanager.privatedns.models.RecordType;
import java.util.List;
import java.util.Optional;

/** A record sets of private DNS zones (Microsoft.Network/privateDnsZones). */
public final class DnsPort {
  private final PrivateDnsZoneManager manager;

  DnsPort(PrivateDnsZoneManager manager) {
    this.manager = manager;
  }

  /** One page of a zone's A record sets, and where the next page is (null after the last). */
  public record RecordPage(List<RecordSetInner> records, String next) {}

  /** The page of A record sets at {@code continuation}, or the first page when it is null. */
  public RecordPage aRecordsPage(String resourceGroup, String zone, String continuation) {
    try {
      var pages =
          manager.serviceClient().getRecordSets().listByType(resourceGroup, zone, RecordType.A);
      var page =
          (continuation == null ? pages.iterableByPage() : pages.iterableByPage(continuation))
              .iterator()
              .next();
      return new RecordPage(page.getValue(), page.getContinuationToken());
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  /** Every A record set of the zone, in one paged read. */
  public List<RecordSetInner> aRecords(String resourceGroup, String zone) {
    try {
      return manager
          .serviceClient()
          .getRecordSets()
          .listByType(resourceGroup, zone, RecordType.A)
          .stream()
          .toList();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  /** One A record set; empty when it does not exist. */
  public Optional<RecordSetInner> aRecord(String resourceGroup, String zone, String name) {
    try {
      return Optional.ofNullable(
          manager
              .serviceClient()
              .getRecordSets()
              .getWithResponse(resourceGroup, zone, RecordType.A, name, Context.NONE)
              .getValue());
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() == AzureFailure.Kind.NOT_FOUND
          && !failure.code().equals("ResourceGroupNotFound")
          && !failure.code().equals("ParentResourceNotFound")) {
        return Optional.empty();
      }
      throw failure;
    }
  }

  /**
   * Writes an A record set. With an etag the write only succeeds if nobody changed the record since
   * it was read; without one it only succeeds if the record does not exist yet.
   */
  public RecordSetInner putARecord(
      String resourceGroup, String zone, String name, List<String> ips, String etag) {
    RecordSetInner record =
        new RecordSetInner()
            .withTtl(10L)
            .withARecords(ips.stream().map(ip -> new ARecord().withIpv4Address(ip)).toList());
    try {
      return manager
          .serviceClient()
          .getRecordSets()
          .createOrUpdateWithResponse(
              resourceGroup,
              zone,
              RecordType.A,
              name,
              record,
              etag,
              etag == null ? "*" : null,
              Context.NONE)
          .getValue();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  public void deleteARecord(String resourceGroup, String zone, String name) {
    try {
      manager
          .serviceClient()
          .getRecordSets()
          .deleteWithResponse(resourceGroup, zone, RecordType.A, name, null, Context.NONE);
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() != AzureFailure.Kind.NOT_FOUND) {
        throw failure;
      }
    }
  }
}
