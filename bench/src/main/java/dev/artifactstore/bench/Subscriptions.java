package dev.artifactstore.bench;

import dev.artifactstore.operator.runtime.PlatformBaseline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The subscriptions a run spreads its stores over, each with a platform of its own (ARM's budgets
 * are per subscription): store i (from 1) lives in subscription (i - 1) mod N, the first being the
 * platform baseline's.
 */
record Subscriptions(List<String> ids) {
  static Subscriptions of(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("--subscriptions must be at least 1");
    }
    List<String> ids = new ArrayList<>(List.of(PlatformBaseline.SUBSCRIPTION));
    for (int k = 1; k < n; k++) {
      ids.add(String.format(Locale.ROOT, "00000000-0000-0000-0000-0000000b%04d", k));
    }
    return new Subscriptions(List.copyOf(ids));
  }

  /** The last subscription: the slow one of a run with {@code --slow-subscription}. */
  String last() {
    return ids.get(ids.size() - 1);
  }

  int size() {
    return ids.size();
  }

  /** The subscription of store {@code index}, counted from 1 as in its name. */
  String forStore(int index) {
    return ids.get((index - 1) % ids.size());
  }

  /** The subscription of the store named {@code store-NNNNN}. */
  String forStoreNamed(String name) {
    return forStore(Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)));
  }
}
