package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStoreStatus;
import dev.artifactstore.operator.api.PendingOperation;
import dev.artifactstore.operator.api.ReplicationStrategy;
import dev.artifactstore.operator.regions.RegionTable;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A write the ARM budget queued is recognised on the store's return, child resources included. */
class QueuedWritesTest {
  @Test
  void aQueuedZoneGroupWriteIsFoundUnderItsEndpoint() {
    var store = Testbed.store("q", "queuedreg", "eastus", ReplicationStrategy.GeoReplication, true);
    store.getMetadata().setGeneration(1L);
    ArtifactStoreStatus status = new ArtifactStoreStatus();
    String endpoint =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/contoso-network"
            + "/providers/Microsoft.Network/privateEndpoints/queuedreg-pe";
    status.setPendingOperation(
        new PendingOperation(
            StoreContext.QUEUED_WRITE,
            endpoint + "/privateDnsZoneGroups/default",
            null,
            Clock.systemUTC().instant().toString()));
    store.setStatus(status);
    StoreContext ctx = new StoreContext(store, Clock.systemUTC(), "test-cluster");
    new ValidateSpec(RegionTable.defaults()).run(ctx);

    assertTrue(
        ctx.queuedWriteUnder(ctx.desired.endpoints().get(0).id() + "/privateDnsZoneGroups/"));
    assertFalse(ctx.queuedWrite(ctx.desired.endpoints().get(0).id()));
  }
}
