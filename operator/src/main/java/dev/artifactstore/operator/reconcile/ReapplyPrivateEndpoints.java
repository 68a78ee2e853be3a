package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.api.PrivateEndpointStatus;
import dev.artifactstore.operator.azure.AzureFailure;
import dev.artifactstore.operator.azure.NetworkPort;
import dev.artifactstore.operator.azure.PrivateEndpoint;
import dev.artifactstore.operator.azure.Started;
import dev.artifactstore.operator.azure.ZoneGroup;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Step: every private endpoint exists and publishes every region's data endpoint. Azure does not
 * add a new replica's data endpoint to existing endpoints by itself; writing the endpoint again
 * does. Endpoints are often made by someone else (portal, CLI): one is re-applied exactly as it was
 * read, and its DNS zone group is used whatever its name.
 */
final class ReapplyPrivateEndpoints implements Step {
  static final String CREATING = "CreatingPrivateEndpoint";
  static final String REAPPLYING = "ReapplyingPrivateEndpoint";
  static final String WAITING = "WaitingForPrivateEndpoint";

  private final ZoneGroups zoneGroups;

  /** The endpoints of each resource group through shared listings, per identity. */
  private final EndpointListings listed;

  /**
   * @param listings the endpoints of each resource group, per identity; null: every run reads its
   *     endpoints
   * @param zones the records of each zone, per identity, shared with the DNS step
   */
  ReapplyPrivateEndpoints(Listings<PrivateEndpoint> listings, ZoneSnapshots zones) {
    this.listed = new EndpointListings(listings);
    this.zoneGroups = new ZoneGroups(zones);
  }

  ReapplyPrivateEndpoints(Listings<PrivateEndpoint> listings) {
    this(listings, null);
  }

  ReapplyPrivateEndpoints() {
    this(null, null);
  }

  @Override
  public Set<String> progressReasons() {
    return Set.of(
        CREATING,
        REAPPLYING,
        WAITING,
        ZoneGroups.LINKING_ZONE,
        ClaimEndpoint.MARKING,
        DroppedEndpoints.DELETING);
  }

  @Override
  public StepResult run(StoreContext ctx) {
    DesiredStore d = ctx.desired;
    EndpointsSeen dropping = new EndpointsSeen();
    StepResult dropped = DroppedEndpoints.remove(ctx, dropping);
    if (!(dropped instanceof StepResult.Done)) {
      ctx.found(dropping.finding());
      return dropped;
    }
    if (d.endpoints().isEmpty()) {
      ctx.found(EndpointsSeen.notConfigured());
      return StepResult.done();
    }
    List<String> required = new ArrayList<>();
    required.add(d.loginServer());
    d.regions(ctx.findings().replicaReady()).forEach(r -> required.add(d.dataEndpoint(r)));
    EndpointsSeen seen = new EndpointsSeen();
    StepResult result = StepResult.done();
    for (DesiredStore.Endpoint endpoint : d.endpoints()) {
      result = act(ctx, endpoint, observe(ctx, endpoint, required), required, seen);
      if (!(result instanceof StepResult.Done)) {
        break;
      }
    }
    ctx.found(seen.finding());
    return result;
  }

  EndpointObservation observe(
      StoreContext ctx, DesiredStore.Endpoint endpoint, List<String> required) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    // An endpoint still recorded Creating was just made by this operator and has no zone group.
    boolean justCreated = before == null || "Creating".equals(before.getProvisioningState());
    if (ctx.useQueuedWriteUnder(endpoint.id() + "/privateDnsZoneGroups/")) {
      // Any other endpoint's group is read, since the write keeps the zones it has.
      Optional<ZoneGroup> group = justCreated ? Optional.empty() : zoneGroups.read(ctx, endpoint);
      return new EndpointObservation(
          EndpointObservation.Kind.GROUP_WRITE_QUEUED, null, group, null);
    }
    if (justCreated && ctx.useQueuedWrite(endpoint.id())) {
      return new EndpointObservation(EndpointObservation.Kind.CREATE_QUEUED, null, null, null);
    }
    Optional<ZoneGroups.Linked> linked = zoneGroups.justLinked(ctx, endpoint, required);
    if (linked.isPresent() && linked.get().after() != null) {
      return new EndpointObservation(
          EndpointObservation.Kind.LINK_SETTLING, null, null, null, linked.get().after());
    }
    if (linked.isPresent()) {
      return new EndpointObservation(
          EndpointObservation.Kind.JUST_LINKED, null, null, linked.get());
    }
    // An endpoint this operator created a moment ago is watched in its resource group's listing,
    // which answers for every endpoint created before it began; one the listing does not show
    // Succeeded and complete is read by itself.
    Listings.Settled<PrivateEndpoint> settled = listed.afterCreation(ctx, endpoint);
    if (settled != null && settled.listed() == null) {
      return EndpointObservation.settling(settled.after());
    }
    if (settled != null) {
      PrivateEndpoint pe = settled.listed().get(endpoint.name());
      if (pe != null && inOrder(ctx, pe, required)) {
        return new EndpointObservation(EndpointObservation.Kind.FOUND, pe, null, null);
      }
    }
    // A listing serves only to find all in order on a resync; an endpoint it does not show is read
    // before anything is created, since it may have been made since the listing.
    Listings.Listed<PrivateEndpoint> listing =
        ctx.listingsServe() ? listed.listing(ctx, endpoint) : null;
    if (listing != null) {
      PrivateEndpoint pe = listing.get(endpoint.name());
      if (pe != null && inOrder(ctx, pe, required)) {
        listed.watch(ctx, endpoint);
        return new EndpointObservation(EndpointObservation.Kind.FOUND, pe, null, null);
      }
    }
    // An endpoint the store never saw is most likely created: it is read when it may be written.
    boolean creating = before == null;
    if (creating) {
      ctx.awaitWriteTurn(endpoint.id());
    }
    Optional<PrivateEndpoint> read;
    try {
      read = network(ctx, endpoint).privateEndpoint(endpoint.resourceGroup(), endpoint.name());
    } catch (AzureFailure e) {
      if (creating && e.kind() != AzureFailure.Kind.THROTTLED) {
        ctx.releaseWriteTurn(endpoint.id());
      }
      throw e;
    }
    if (creating && read.isPresent()) {
      ctx.releaseWriteTurn(endpoint.id());
    }
    listed.update(ctx, endpoint, read.orElse(null));
    return read.map(pe -> new EndpointObservation(EndpointObservation.Kind.FOUND, pe, null, null))
        .orElse(new EndpointObservation(EndpointObservation.Kind.MISSING, null, null, null));
  }

  /**
   * A listed endpoint that needs nothing: Succeeded, publishing every required name, no connection
   * waiting, marked this store's. Anything else is read first, so no write is decided from a
   * listing.
   */
  private static boolean inOrder(StoreContext ctx, PrivateEndpoint pe, List<String> required) {
    return pe.provisioningState().equals("Succeeded")
        && pe.dns().keySet().containsAll(required)
        && !pe.connectionPending()
        && Ownership.of(ctx, pe.tags()) == Ownership.Verdict.OURS;
  }

  /** Endpoints the operator deleted or released are gone from the listing at once. */
  void forget(StoreContext ctx) {
    listed.forget(ctx);
    ctx.desired.endpoints().forEach(zoneGroups::forget);
  }

  /** A listing that shows an endpoint changed wakes the store that found it in order. */
  void wakeWith(Consumer<ResourceID> wake) {
    listed.wakeWith(wake);
  }

  StepResult act(
      StoreContext ctx,
      DesiredStore.Endpoint endpoint,
      EndpointObservation seen,
      List<String> required,
      EndpointsSeen found) {
    PrivateEndpointStatus before = ctx.previousEndpoint(endpoint.name());
    return switch (seen.kind()) {
      case GROUP_WRITE_QUEUED -> {
        // The run that queued it saw the endpoint Succeeded and complete.
        found.endpoint(
            new PrivateEndpointStatus(
                endpoint.name(),
                endpoint.id(),
                "Succeeded",
                before == null ? List.of() : before.getDnsRecords()));
        yield found.stop(zoneGroups.link(ctx, endpoint, seen.group(), null));
      }
      case SETTLING -> {
        found.endpoint(
            before != null
                ? before
                : new PrivateEndpointStatus(endpoint.name(), null, "Creating", List.of()));
        yield found.stop(
            Fact.isFalse(
                "EndpointProvisioning",
                "Private endpoint " + endpoint.name() + " is being created."),
            new StepResult.Progressing(
                CREATING,
                "Waiting for private endpoint "
                    + endpoint.name()
                    + ", created a moment ago, to show in the listing of "
                    + endpoint.resourceGroup()
                    + ".",
                Backoff.poll(seen.after())));
      }
      case LINK_SETTLING -> {
        found.endpoint(before);
        yield found.stop(
            Fact.isFalse(
                "LinkingZone",
                "Waiting for the records of private endpoint "
                    + endpoint.name()
                    + " in zone "
                    + endpoint.zoneName()
                    + "."),
            new StepResult.Progressing(
                ZoneGroups.LINKING_ZONE,
                "Waiting for Azure to write the records of private endpoint "
                    + endpoint.name()
                    + " into zone "
                    + endpoint.zoneName()
                    + "; the zone's next listing shows them.",
                Backoff.poll(seen.after())));
      }
      case CREATE_QUEUED, MISSING -> found.stop(create(ctx, endpoint, found));
      case JUST_LINKED -> {
        found.endpoint(before);
        found.zoneGroupRecords(endpoint.name(), seen.linked().report());
        found.published(endpoint.name(), seen.linked().published());
        yield StepResult.done();
      }
      case FOUND -> examine(ctx, endpoint, seen.endpoint(), required, found);
    };
  }

  private StepResult examine(
      StoreContext ctx,
      DesiredStore.Endpoint endpoint,
      PrivateEndpoint pe,
      List<String> required,
      EndpointsSeen found) {
    String state = pe.provisioningState();
    Fact.Stop claimed = ClaimEndpoint.claim(ctx, endpoint, pe);
    if (claimed.result() instanceof StepResult.Stalled) {
      // Not this store's: its status does not record it, so nothing ever takes it for built here.
      return found.stop(claimed);
    }
    found.endpoint(new PrivateEndpointStatus(endpoint.name(), pe.id(), state, List.of()));
    if (!(claimed.result() instanceof StepResult.Done)) {
      return found.stop(claimed);
    }
    if (state.equals("Failed")) {
      Started retried = network(ctx, endpoint).reapply(pe);
      return found.stop(
          Fact.isFalse(
              "EndpointFailed",
              "Private endpoint " + endpoint.name() + " is Failed; writing it again."),
          new StepResult.Progressing(
              REAPPLYING,
              "Private endpoint " + endpoint.name() + " is Failed in Azure; writing it again.",
              Backoff.poll(retried.retryAfter())));
    }
    if (!state.equals("Succeeded")) {
      return found.stop(
          Fact.isFalse(
              "EndpointProvisioning", "Private endpoint " + endpoint.name() + " is " + state + "."),
          new StepResult.Progressing(
              WAITING,
              "Waiting for private endpoint " + endpoint.name() + " (" + state + ").",
              Backoff.DEFAULT_POLL));
    }
    List<String> missing = required.stream().filter(f -> !pe.dns().containsKey(f)).toList();
    if (!missing.isEmpty()) {
      Started reapplied = network(ctx, endpoint).reapply(pe);
      String why = "it lacks " + String.join(", ", missing);
      return found.stop(
          Fact.isFalse(
              "EndpointIncomplete",
              "Private endpoint " + endpoint.name() + " was incomplete: " + why + "."),
          new StepResult.Progressing(
              REAPPLYING,
              "Re-applying private endpoint "
                  + endpoint.name()
                  + " as it is because "
                  + why
                  + "; Azure does not do it when a region is added.",
              Backoff.poll(reapplied.retryAfter())));
    }
    if (pe.connectionPending()) {
      return found.stop(ConnectionApprovals.approve(ctx, endpoint, pe));
    }
    StepResult linking = zoneGroups.ensure(ctx, endpoint, pe.dns(), found);
    if (linking instanceof StepResult.Done) {
      found.published(endpoint.name(), pe.dns());
    }
    return linking;
  }

  /** Creates the endpoint in its virtual network's region and subscription. */
  private Fact.Stop create(StoreContext ctx, DesiredStore.Endpoint endpoint, EndpointsSeen found) {
    NetworkPort network = network(ctx, endpoint);
    Optional<String> region = network.regionOf(endpoint.networkId());
    if (region.isEmpty()) {
      ctx.releaseWriteTurn(endpoint.id());
      return new Fact.Stop(
          Fact.isFalse(
              "NetworkNotFound",
              "The virtual network of private endpoint " + endpoint.name() + " does not exist."),
          new StepResult.Stalled(
              "InvalidSpec",
              "Virtual network "
                  + endpoint.networkId()
                  + " (subnet of private endpoint "
                  + endpoint.name()
                  + ") does not exist; create it or fix spec.privateEndpoints[].subnetId."));
    }
    Started started =
        network.createPrivateEndpoint(
            endpoint.resourceGroup(),
            endpoint.name(),
            region.get(),
            endpoint.subnetId(),
            ctx.desired.registryId(),
            Ownership.created(ctx));
    listed.created(ctx, endpoint);
    found.endpoint(new PrivateEndpointStatus(endpoint.name(), null, "Creating", List.of()));
    return new Fact.Stop(
        Fact.isFalse("EndpointMissing", "Creating private endpoint " + endpoint.name() + "."),
        new StepResult.Progressing(
            CREATING,
            "Creating private endpoint "
                + endpoint.name()
                + " in "
                + region.get()
                + ", subnet "
                + endpoint.subnetId()
                + ".",
            Backoff.poll(started.retryAfter())));
  }

  /** An endpoint's network port: the endpoint lives in its virtual network's subscription. */
  static NetworkPort network(StoreContext ctx, DesiredStore.Endpoint endpoint) {
    return ctx.portsFor.apply(endpoint.subscription()).network();
  }
}
