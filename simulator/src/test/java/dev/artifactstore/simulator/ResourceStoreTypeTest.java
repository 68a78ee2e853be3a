package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.simulator.state.ResourceStore;
import org.junit.jupiter.api.Test;

class ResourceStoreTypeTest {
  private static final String ENDPOINTS = "/providers/microsoft.network/privateendpoints/";
  private static final String RG = "/subscriptions/s/resourcegroups/rg";

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
