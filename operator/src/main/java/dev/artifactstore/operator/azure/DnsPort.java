package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A record sets of private DNS zones (Microsoft.Network/privateDnsZones), in our terms. */
public interface DnsPort {
  /** One page of a zone's A record sets, and where the next page is (null after the last). */
  record RecordPage(List<RecordSet> records, String next) {}

  /** The page of A record sets at {@code continuation}, or the first page when it is null. */
  RecordPage aRecordsPage(String resourceGroup, String zone, String continuation);

  /** Every A record set of the zone, in one paged read. */
  List<RecordSet> aRecords(String resourceGroup, String zone);

  /** One A record set; empty when it does not exist. */
  Optional<RecordSet> aRecord(String resourceGroup, String zone, String name);

  /**
   * Writes an A record set with these addresses, time to live and metadata (a write replaces the
   * record set whole). With an etag the write only succeeds if nobody changed the record since it
   * was read; without one it only succeeds if the record does not exist yet.
   */
  RecordSet putARecord(
      String resourceGroup,
      String zone,
      String name,
      List<String> ips,
      long ttl,
      Map<String, String> metadata,
      String etag);

  /**
   * Deletes an A record set if nobody changed it since it was read with {@code etag}; one already
   * gone is not an error.
   */
  void deleteARecord(String resourceGroup, String zone, String name, String etag);
}
