package dev.artifactstore.operator.regions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionTableTest {
  @Test
  void defaultsFollowTheProductDocumentation() {
    RegionTable table = RegionTable.defaults();
    assertEquals(Optional.of("westus"), table.pairOf("eastus"));
    assertEquals(Optional.of("eastus"), table.pairOf("westus3"));
    assertEquals(Optional.of("northcentralus"), table.pairOf("South Central US"));
    assertEquals(Optional.empty(), table.pairOf("centralus"));
    assertTrue(table.hasZones("eastus"));
    assertFalse(table.hasZones("westus"));
    assertFalse(table.hasZones("northcentralus"));
  }

  @Test
  void displayNamesAreNormalised() {
    assertEquals("eastus", RegionTable.normalise("East US"));
    assertEquals("southcentralus", RegionTable.normalise("South Central US"));
  }

  @Test
  void overridesAddPairsAndReplaceZones(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("regions.properties");
    Files.writeString(file, "pair.eastus2=centralus\nzones=eastus2, centralus\n");
    RegionTable table = RegionTable.load(file);
    assertEquals(Optional.of("centralus"), table.pairOf("eastus2"));
    assertEquals(Optional.of("westus"), table.pairOf("eastus"), "defaults stay");
    assertTrue(table.hasZones("centralus"));
    assertFalse(table.hasZones("eastus"), "zones were replaced");
  }

  @Test
  void unknownKeysAreRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("regions.properties");
    Files.writeString(file, "pairs.eastus=westus\n");
    assertThrows(IllegalArgumentException.class, () -> RegionTable.load(file));
  }
}
