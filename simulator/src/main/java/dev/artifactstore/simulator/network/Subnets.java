package dev.artifactstore.simulator.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.artifactstore.simulator.arm.ArmException;
import dev.artifactstore.simulator.state.Json;
import dev.artifactstore.simulator.state.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Private IP addresses of subnets. Azure keeps five addresses of every subnet (network, gateway,
 * two for DNS, broadcast); the rest are handed out in order. An allocation is owned by "{endpoint
 * id}|{fqdn}".
 */
final class Subnets {
  private static final String IP_ALLOCATIONS = "ipAllocations";
  private final ResourceStore store;

  Subnets(ResourceStore store) {
    this.store = store;
  }

  static String owner(String endpointId, String fqdn) {
    return ResourceStore.key(endpointId) + "|" + fqdn;
  }

  static Predicate<String> ownedBy(String endpointId) {
    return owner -> owner.startsWith(ResourceStore.key(endpointId) + "|");
  }

  static long[] range(String prefix) {
    String[] parts = prefix.split("/");
    if (parts.length != 2) {
      throw ArmException.badRequest(
          "InvalidAddressPrefixFormat", "Invalid address prefix " + prefix);
    }
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      throw ArmException.badRequest(
          "InvalidAddressPrefixFormat", "Invalid address prefix " + prefix);
    }
    long base = 0;
    for (String o : octets) {
      base = base * 256 + Integer.parseInt(o);
    }
    int bits = Integer.parseInt(parts[1]);
    if (bits < 8 || bits > 29) {
      throw ArmException.badRequest(
          "InvalidAddressPrefix", "Subnet prefix " + prefix + " must be between /8 and /29.");
    }
    long size = 1L << (32 - bits);
    base = base & ~(size - 1);
    return new long[] {base + 4, base + size - 2};
  }

  static String format(long ip) {
    return ((ip >> 24) & 255)
        + "."
        + ((ip >> 16) & 255)
        + "."
        + ((ip >> 8) & 255)
        + "."
        + (ip & 255);
  }

  private ObjectNode allocations(String subnetId) {
    return Json.child(store.internal(IP_ALLOCATIONS), ResourceStore.key(subnetId));
  }

  long free(String subnetId) {
    ObjectNode subnet = store.get(subnetId);
    long[] range = range(Json.text(subnet, "/properties/addressPrefix"));
    return range[1] - range[0] + 1 - allocations(subnetId).size();
  }

  /** The owner's address, allocating one if it has none; null when the subnet is full. */
  String allocate(String subnetId, String owner) {
    ObjectNode allocations = allocations(subnetId);
    var it = allocations.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue().asText().equals(owner)) {
        return e.getKey();
      }
    }
    long[] range = range(Json.text(store.get(subnetId), "/properties/addressPrefix"));
    for (long ip = range[0]; ip <= range[1]; ip++) {
      String address = format(ip);
      if (!allocations.has(address)) {
        allocations.put(address, owner);
        store.internalChanged(IP_ALLOCATIONS, ResourceStore.key(subnetId), address);
        return address;
      }
    }
    return null;
  }

  /**
   * Gives {@code address} to {@code owner} (a static IP configuration); false when it is outside
   * the subnet's usable range or held by another owner.
   */
  boolean claim(String subnetId, String owner, String address) {
    long[] range = range(Json.text(store.get(subnetId), "/properties/addressPrefix"));
    long ip;
    try {
      ip = parse(address);
    } catch (RuntimeException e) {
      return false;
    }
    if (ip < range[0] || ip > range[1]) {
      return false;
    }
    ObjectNode allocations = allocations(subnetId);
    String holder = allocations.path(address).asText(null);
    if (holder != null && !holder.equals(owner)) {
      return false;
    }
    release(subnetId, owner::equals);
    allocations.put(address, owner);
    store.internalChanged(IP_ALLOCATIONS, ResourceStore.key(subnetId), address);
    return true;
  }

  private static long parse(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException(address);
    }
    long ip = 0;
    for (String o : octets) {
      int value = Integer.parseInt(o);
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException(address);
      }
      ip = ip * 256 + value;
    }
    return ip;
  }

  /** The address owned by {@code owner}, or null. */
  String addressOf(String subnetId, String owner) {
    var it = allocations(subnetId).fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getValue().asText().equals(owner)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Releases every address whose owner satisfies the filter. */
  void release(String subnetId, Predicate<String> ownerFilter) {
    ObjectNode allocations = allocations(subnetId);
    List<String> gone = new ArrayList<>();
    allocations
        .fields()
        .forEachRemaining(
            e -> {
              if (ownerFilter.test(e.getValue().asText())) {
                gone.add(e.getKey());
              }
            });
    for (String address : gone) {
      allocations.remove(address);
      store.internalChanged(IP_ALLOCATIONS, ResourceStore.key(subnetId), address);
    }
  }

  int used(String subnetId) {
    return allocations(subnetId).size();
  }
}
