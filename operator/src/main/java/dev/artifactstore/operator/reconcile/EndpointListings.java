package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.NetworkPort;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The private endpoints of each resource group as {@link ReapplyPrivateEndpoints} sees them through
 * shared listings, per identity: on a resync of a Ready store, and for an endpoint this operator
 * created, until a listing shows it done. Without listings (step tests) every answer is null, and
 * the step reads each endpoint itself.
 */
final class EndpointListings {
  /** How long a creation is watched in listings before the endpoint is read by itself. */
  private static final Duration SETTLE_FOR = Duration.ofMinutes(10);

  private final Listings<PrivateEndpoint> listings;

  /**
   * Endpoints this operator created and has not seen finished, by lower-case id: when each was
   * created. In memory only; after a restart each is read by itself.
   */
  private final Map<String, Instant> created = new ConcurrentHashMap<>();

  EndpointListings(Listings<PrivateEndpoint> listings) {
    this.listings = listings;
  }

  /**
   * The endpoints of the endpoint's resource group as the store's identity sees them, listed at
   * most once per listing age for every store there; null when there is no listing or it failed
   * (the read that follows tells why).
   */
  Listings.Listed<PrivateEndpoint> listing(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    if (listings == null) {
      return null;
    }
    try {
      return listings.list(key(ctx, endpoint), pages(ctx, endpoint));
    } catch (AzureFailure e) {
      if (e.kind() == AzureFailure.Kind.NOT_FOUND || e.kind() == AzureFailure.Kind.AUTHORIZATION) {
        // The read that follows says precisely what is missing or forbidden.
        return null;
      }
      throw e;
    }
  }

  /**
   * For an endpoint this operator created less than {@link #SETTLE_FOR} ago: a listing of its
   * resource group that began after the creation, or how long until the next may begin. The
   * creation is watched no longer once a listing answers. Null when the operator did not create it
   * (or has forgotten), or when the resource group cannot be listed.
   */
  Listings.Settled<PrivateEndpoint> afterCreation(
      StoreContext ctx, DesiredStore.Endpoint endpoint) {
    if (listings == null) {
      return null;
    }
    String id = endpoint.id().toLowerCase(Locale.ROOT);
    Instant at = created.get(id);
    if (at == null) {
      return null;
    }
    if (at.plus(SETTLE_FOR).isBefore(ctx.now())) {
      created.remove(id);
      return null;
    }
    Listings.Settled<PrivateEndpoint> settled;
    try {
      settled = listings.after(key(ctx, endpoint), at, Listings.SETTLE_EVERY, pages(ctx, endpoint));
    } catch (AzureFailure e) {
      if (e.kind() != AzureFailure.Kind.NOT_FOUND && e.kind() != AzureFailure.Kind.AUTHORIZATION) {
        throw e;
      }
      settled = null;
    }
    if (settled == null || settled.listed() != null) {
      created.remove(id);
    }
    return settled;
  }

  /** The operator just created the endpoint: it is watched in the next listings. */
  void created(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    if (listings != null) {
      created.put(endpoint.id().toLowerCase(Locale.ROOT), ctx.now());
    }
  }

  /** The store found the endpoint in order in a listing (see {@link Listings#watch}). */
  void watch(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    listings.watch(key(ctx, endpoint), endpoint.name(), ResourceID.fromResource(ctx.store()));
  }

  /** What the store just read is newer than the listing; null: the endpoint does not exist. */
  void update(StoreContext ctx, DesiredStore.Endpoint endpoint, PrivateEndpoint read) {
    if (listings != null) {
      listings.update(key(ctx, endpoint), endpoint.name(), read);
    }
  }

  /** Endpoints the operator deleted or released are gone from the listing at once. */
  void forget(StoreContext ctx) {
    if (listings != null) {
      for (DesiredStore.Endpoint endpoint : ctx.desired.endpoints()) {
        listings.update(key(ctx, endpoint), endpoint.name(), null);
        created.remove(endpoint.id().toLowerCase(Locale.ROOT));
      }
      listings.unwatch(ResourceID.fromResource(ctx.store()));
    }
  }

  /** A listing that shows an endpoint changed wakes the store that found it in order. */
  void wakeWith(Consumer<ResourceID> wake) {
    if (listings != null) {
      listings.wakeWith(wake);
    }
  }

  private static Listings.Pages<PrivateEndpoint> pages(
      StoreContext ctx, DesiredStore.Endpoint endpoint) {
    NetworkPort network = ReapplyPrivateEndpoints.network(ctx, endpoint);
    return next -> {
      var page = network.privateEndpointsPage(endpoint.resourceGroup(), next);
      Map<String, PrivateEndpoint> byName = new LinkedHashMap<>();
      page.items().forEach(pe -> byName.put(pe.id().substring(pe.id().lastIndexOf('/') + 1), pe));
      return new Listings.Page<>(byName, page.next());
    };
  }

  private static String key(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    return ctx.identity + "|" + endpoint.subscription() + "/" + endpoint.resourceGroup();
  }
}
