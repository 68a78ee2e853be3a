package dev.artifactstore.operator.reconcile;

import dev.artifactstore.operator.azure.Connection;
import dev.artifactstore.operator.azure.OperationState;
import dev.artifactstore.operator.azure.Page;
import dev.artifactstore.operator.azure.Registry;
import dev.artifactstore.operator.azure.RegistryPort;
import dev.artifactstore.operator.azure.Replica;
import dev.artifactstore.operator.azure.Started;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Registries of one subscription; replicas and connections are those of the one test registry. */
final class FakeRegistries implements RegistryPort {
  private final FakeAzure azure;

  /** Registry name -> the registry. */
  final Map<String, Registry> registries = new LinkedHashMap<>();

  /** Replica name (its region) -> the replica. */
  final Map<String, Replica> replicas = new LinkedHashMap<>();

  /** Connection name -> the connection. */
  final Map<String, Connection> connections = new LinkedHashMap<>();

  FakeRegistries(FakeAzure azure) {
    this.azure = azure;
  }

  static String id(String resourceGroup, String name) {
    return "/subscriptions/"
        + FakeAzure.SUBSCRIPTION
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.ContainerRegistry/registries/"
        + name;
  }

  /** The mark the fixtures' store puts on what it creates. */
  static final Map<String, String> MARKED =
      Map.of(Ownership.TAG, "test-cluster/" + Testbed.NAMESPACE + "/store/created");

  static Registry registry(String name, String location, String state, String sku) {
    return new Registry(
        id(StepFixtures.RESOURCE_GROUP, name),
        location,
        name + ".azurecr.io",
        state,
        "Enabled",
        sku,
        MARKED);
  }

  static Replica replica(String region, String state, String display, Instant since) {
    return new Replica(
        region,
        id(StepFixtures.RESOURCE_GROUP, StepFixtures.REGISTRY) + "/replications/" + region,
        region,
        state,
        display,
        since,
        "Disabled",
        MARKED);
  }

  void add(Registry registry) {
    registries.put(registry.id().substring(registry.id().lastIndexOf('/') + 1), registry);
  }

  void add(Replica replica) {
    replicas.put(replica.name(), replica);
  }

  @Override
  public Optional<Registry> registry(String resourceGroup, String name) {
    azure.call("GET registry " + name);
    return Optional.ofNullable(registries.get(name));
  }

  @Override
  public Page<Registry> registriesPage(String resourceGroup, String continuation) {
    azure.call("LIST registries " + resourceGroup);
    return new Page<>(List.copyOf(registries.values()), null);
  }

  @Override
  public Started createRegistry(
      String resourceGroup,
      String name,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags) {
    String call = "PUT registry " + name;
    azure.call(call);
    registries.put(
        name,
        new Registry(
            id(resourceGroup, name),
            region,
            name + ".azurecr.io",
            "Creating",
            zoneRedundant ? "Enabled" : "Disabled",
            "Premium",
            tags));
    return azure.started(call);
  }

  @Override
  public Started upgradeToPremium(String resourceGroup, String name, Map<String, String> tags) {
    String call = "PATCH registry " + name + " sku=Premium";
    azure.call(call);
    return azure.started(call);
  }

  @Override
  public Started retag(String resourceGroup, String name, Map<String, String> tags) {
    String call = "PATCH registry " + name + " tags=" + new TreeMap<>(tags);
    azure.call(call);
    return azure.started(call);
  }

  @Override
  public Started deleteRegistry(String resourceGroup, String name) {
    String call = "DELETE registry " + name;
    azure.call(call);
    registries.remove(name);
    return azure.started(call);
  }

  @Override
  public List<Replica> replications(String resourceGroup, String registry) {
    azure.call("GET replications " + registry);
    return List.copyOf(replicas.values());
  }

  @Override
  public Started createReplication(
      String resourceGroup,
      String registry,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags) {
    String call = "PUT replication " + registry + "/" + region;
    azure.call(call);
    replicas.put(
        region,
        new Replica(
            region,
            id(resourceGroup, registry) + "/replications/" + region,
            region,
            "Creating",
            "Provisioning",
            null,
            zoneRedundant ? "Enabled" : "Disabled",
            tags));
    return azure.started(call);
  }

  @Override
  public Started retagReplication(
      String resourceGroup, String registry, String name, Map<String, String> tags) {
    String call = "PATCH replication " + registry + "/" + name + " tags=" + new TreeMap<>(tags);
    azure.call(call);
    Replica r = replicas.get(name);
    if (r != null) {
      replicas.put(
          name,
          new Replica(
              r.name(),
              r.id(),
              r.location(),
              r.provisioningState(),
              r.displayStatus(),
              r.statusSince(),
              r.zoneRedundancy(),
              Map.copyOf(tags)));
    }
    return azure.started(call);
  }

  @Override
  public Started deleteReplication(String resourceGroup, String registry, String name) {
    String call = "DELETE replication " + registry + "/" + name;
    azure.call(call);
    replicas.remove(name);
    return azure.started(call);
  }

  @Override
  public List<Connection> connections(String resourceGroup, String registry) {
    azure.call("GET connections " + registry);
    return List.copyOf(connections.values());
  }

  @Override
  public Started approveConnection(String resourceGroup, String registry, String connection) {
    String call = "APPROVE connection " + registry + "/" + connection;
    azure.call(call);
    Connection c = connections.get(connection);
    if (c != null) {
      connections.put(connection, new Connection(c.name(), c.endpointId(), "Approved"));
    }
    return azure.started(call);
  }

  @Override
  public OperationState poll(String url) {
    return azure.poll(url);
  }
}
