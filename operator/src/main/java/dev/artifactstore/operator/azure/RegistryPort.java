package dev.artifactstore.operator.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Container registries, their replications and private endpoint connections, in our terms. */
public interface RegistryPort {
  /**
   * The registry; empty when it does not exist (a missing resource group is a NOT_FOUND failure).
   */
  Optional<Registry> registry(String resourceGroup, String name);

  /**
   * One page of the resource group's registries: the first when {@code continuation} is null (a
   * missing resource group is a NOT_FOUND failure).
   */
  Page<Registry> registriesPage(String resourceGroup, String continuation);

  /** Creates a Premium registry with these tags, zone redundant when asked. */
  Started createRegistry(
      String resourceGroup,
      String name,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags);

  /** Upgrades the registry to Premium; {@code tags} replace its tags (send what was read). */
  Started upgradeToPremium(String resourceGroup, String name, Map<String, String> tags);

  /** Replaces the registry's tags, and nothing else. */
  Started retag(String resourceGroup, String name, Map<String, String> tags);

  Started deleteRegistry(String resourceGroup, String name);

  List<Replica> replications(String resourceGroup, String registry);

  Started createReplication(
      String resourceGroup,
      String registry,
      String region,
      boolean zoneRedundant,
      Map<String, String> tags);

  /** Replaces the replica's tags, and nothing else. */
  Started retagReplication(
      String resourceGroup, String registry, String name, Map<String, String> tags);

  Started deleteReplication(String resourceGroup, String registry, String name);

  /** The registry's private endpoint connections, whoever made the endpoints. */
  List<Connection> connections(String resourceGroup, String registry);

  /** Approves a connection on the registry, as `az acr private-endpoint-connection approve`. */
  Started approveConnection(String resourceGroup, String registry, String connection);

  OperationState poll(String url);
}
