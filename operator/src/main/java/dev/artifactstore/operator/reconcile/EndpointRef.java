package dev.artifactstore.operator.reconcile;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a private endpoint is, taken apart from its ARM id. */
record EndpointRef(String subscription, String resourceGroup, String name) {
  private static final Pattern ID =
      Pattern.compile(
          "(?i)^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network"
              + "/privateEndpoints/([^/]+)$");

  /** The endpoint an id names; empty when it names no private endpoint. */
  static Optional<EndpointRef> of(String id) {
    Matcher m = id == null ? null : ID.matcher(id);
    return m == null || !m.matches()
        ? Optional.empty()
        : Optional.of(new EndpointRef(m.group(1).toLowerCase(Locale.ROOT), m.group(2), m.group(3)));
  }

  static EndpointRef of(DesiredStore.Endpoint endpoint) {
    return new EndpointRef(endpoint.subscription(), endpoint.resourceGroup(), endpoint.name());
  }
}
