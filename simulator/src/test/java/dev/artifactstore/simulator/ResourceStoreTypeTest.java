package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.simulator.state.ResourceStore;
import org.junit.jupiter.api.Test;

class ResourceStoreTypeTest {
  private static final String ENDPOINTS = "/providers/microsoft.network/privateendpoints/";
  private static final String RG = "/subscriptions/s/resourcegroups/rg";

  @Test
  void resourcesOfATypeAreFoundUntilRemoved() {
    ResourceStore store = new ResourceStore();
    String pe = RG + ENDPOINTS + "pe";
    store.put(pe, dev.artifactstore.simulator.state.Json.object().put("id", pe));
    store.put(
        pe + "/privateDnsZoneGroups/default", dev.artifactstore.simulator.state.Json.object());
    store.put(
        RG + "/providers/Microsoft.Network/virtualNetworks/v",
        dev.artifactstore.simulator.state.Json.object());

    assertEquals(1, store.ofType(ENDPOINTS).size());
    store.removeTree(pe);
    assertEquals(0, store.ofType(ENDPOINTS).size());
    assertEquals(1, store.ofType("/providers/microsoft.network/virtualnetworks/").size());
  }

  @Test
  void aResourceOfTheTypeIsOneWithANameAndNothingBelow() {
    assertTrue(ResourceStore.isOfType(RG + ENDPOINTS + "pe", ENDPOINTS));
    assertFalse(ResourceStore.isOfType(RG + ENDPOINTS, ENDPOINTS), "no name");
    assertFalse(
        ResourceStore.isOfType(RG + ENDPOINTS + "pe/privatednszonegroups/default", ENDPOINTS),
        "a child");
    assertFalse(
        ResourceStore.isOfType(RG + "/providers/microsoft.network/virtualnetworks/v", ENDPOINTS));
  }
}
