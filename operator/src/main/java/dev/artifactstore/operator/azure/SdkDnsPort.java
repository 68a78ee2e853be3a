package dev.artifactstore.operator.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.privatedns.fluent.models.RecordSetInner;
import com.azure.resourcemanager.privatedns.models.ARecord;
import com.azure.resourcemanager.privatedns.models.RecordType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The DNS port over the Azure SDK (Microsoft.Network/privateDnsZones). */
final class SdkDnsPort implements DnsPort {
  private final PrivateDnsZoneManager manager;

  SdkDnsPort(PrivateDnsZoneManager manager) {
    this.manager = manager;
  }

  @Override
  public RecordPage aRecordsPage(String resourceGroup, String zone, String continuation) {
    try {
      var pages =
          manager.serviceClient().getRecordSets().listByType(resourceGroup, zone, RecordType.A);
      var page =
          (continuation == null ? pages.iterableByPage() : pages.iterableByPage(continuation))
              .iterator()
              .next();
      return new RecordPage(
          page.getValue().stream().map(SdkDnsPort::recordOf).toList(), page.getContinuationToken());
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  @Override
  public List<RecordSet> aRecords(String resourceGroup, String zone) {
    try {
      return manager
          .serviceClient()
          .getRecordSets()
          .listByType(resourceGroup, zone, RecordType.A)
          .stream()
          .map(SdkDnsPort::recordOf)
          .toList();
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  @Override
  public Optional<RecordSet> aRecord(String resourceGroup, String zone, String name) {
    try {
      return Optional.ofNullable(
              manager
                  .serviceClient()
                  .getRecordSets()
                  .getWithResponse(resourceGroup, zone, RecordType.A, name, Context.NONE)
                  .getValue())
          .map(SdkDnsPort::recordOf);
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

  @Override
  public RecordSet putARecord(
      String resourceGroup,
      String zone,
      String name,
      List<String> ips,
      long ttl,
      Map<String, String> metadata,
      String etag) {
    RecordSetInner record =
        new RecordSetInner()
            .withTtl(ttl)
            .withMetadata(metadata)
            .withARecords(ips.stream().map(ip -> new ARecord().withIpv4Address(ip)).toList());
    try {
      return HaltPoints.after(
          "record-put",
          recordOf(
              manager
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
                  .getValue()));
    } catch (RuntimeException e) {
      throw ArmErrors.classify(e);
    }
  }

  @Override
  public void deleteARecord(String resourceGroup, String zone, String name, String etag) {
    try {
      manager
          .serviceClient()
          .getRecordSets()
          .deleteWithResponse(resourceGroup, zone, RecordType.A, name, etag, Context.NONE);
      HaltPoints.reached("record-delete");
    } catch (RuntimeException e) {
      AzureFailure failure = ArmErrors.classify(e);
      if (failure.kind() != AzureFailure.Kind.NOT_FOUND) {
        throw failure;
      }
    }
  }

  private static RecordSet recordOf(RecordSetInner record) {
    return new RecordSet(
        record.name(),
        record.aRecords() == null
            ? List.of()
            : record.aRecords().stream().map(ARecord::ipv4Address).sorted().toList(),
        record.ttl() == null ? RecordSet.CREATED_TTL : record.ttl(),
        record.metadata() == null ? Map.of() : Map.copyOf(record.metadata()),
        record.etag());
  }
}
