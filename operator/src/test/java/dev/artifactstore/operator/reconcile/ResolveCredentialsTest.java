package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.artifactstore.operator.api.ArtifactStore;
import dev.artifactstore.operator.api.SecretReference;
import dev.artifactstore.operator.azure.AzureClients;
import dev.artifactstore.operator.azure.AzureConnection;
import dev.artifactstore.operator.regions.RegionTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The step hands out ports from {@link AzureClients}, which builds SDK clients: building them sends
 * nothing, so a connection to a closed port is enough to see which identity a store got.
 */
class ResolveCredentialsTest {
  private static final String SECRET = "contoso-sp";

  private final AzureClients clients =
      new AzureClients(
          AzureConnection.custom(
              "https://127.0.0.1:9/",
              null,
              new AzureConnection.DefaultIdentity(null, "operator", "operator-secret")),
          List.of());

  /** Secrets by "namespace/name"; the reads the step made, in order. */
  private final Map<String, Map<String, String>> secrets = new HashMap<>();

  private final List<String> reads = new ArrayList<>();

  /** Secrets that exist without the label, by "namespace/name"; asking costs an API read. */
  private final Set<String> unlabelled = new HashSet<>();

  private final List<String> apiReads = new ArrayList<>();
  private final ArtifactStore store = StepFixtures.geoStore();
  private Tenancy tenancy = Tenancy.open();

  private StoreContext ctx;
  private StepResult result;

  private void run() {
    ctx = new StoreContext(store, Clock.systemUTC(), "test-cluster");
    assertInstanceOf(StepResult.Done.class, new ValidateSpec(RegionTable.defaults()).run(ctx));
    ReconcileChain.CredentialSecrets watched =
        new ReconcileChain.CredentialSecrets() {
          @Override
          public Map<String, String> labelled(String namespace, String name) {
            reads.add(namespace + "/" + name);
            return secrets.get(namespace + "/" + name);
          }

          @Override
          public boolean exists(String namespace, String name) {
            apiReads.add(namespace + "/" + name);
            return unlabelled.contains(namespace + "/" + name);
          }
        };
    result = new ResolveCredentials(clients, watched, tenancy).run(ctx);
  }

  private void referToSecret() {
    store.getSpec().setCredentialsSecretRef(new SecretReference(SECRET));
  }

  private AzureClients.Ports portsFor(String identity) {
    return clients.ports(FakeAzure.SUBSCRIPTION, identity, clients.connection()::defaultCredential);
  }

  private static Map<String, String> secret(String version) {
    return Map.of(
        "tenantId", "t", "clientId", "c", "clientSecret", "s", "__resourceVersion", version);
  }

  @Test
  void withoutASecretTheOperatorsIdentityIsUsed() {
    run();

    assertInstanceOf(StepResult.Done.class, result);
    assertEquals(List.of("tests/" + ResolveCredentials.NAMESPACE_SECRET), reads);
    assertEquals(List.of(), apiReads);
    assertSame(portsFor("operator"), ctx.ports);
    assertSame(ctx.ports, ctx.portsFor.apply(FakeAzure.SUBSCRIPTION));
  }

  @Test
  void aMissingSecretStallsAsInvalidSpecNamingIt() {
    referToSecret();
    run();

    var stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(
        stalled.message().contains("Secret contoso-sp, which does not exist in namespace tests"),
        stalled.message());
    assertEquals(List.of("tests/" + SECRET), reads);
    assertEquals(List.of("tests/" + SECRET), apiReads, "one read, to tell missing from unlabelled");
    assertNull(ctx.ports);
  }

  @Test
  void aSecretLackingKeysStallsNamingThem() {
    referToSecret();
    secrets.put("tests/" + SECRET, Map.of("tenantId", "t", "clientId", " "));
    run();

    var stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals("InvalidSpec", stalled.reason());
    assertTrue(stalled.message().contains("lacks clientId, clientSecret;"), stalled.message());
    assertNull(ctx.ports);
  }

  @Test
  void aSecretsIdentityGetsPortsOfItsOwn() {
    referToSecret();
    secrets.put("tests/" + SECRET, secret("7"));
    run();

    assertInstanceOf(StepResult.Done.class, result);
    assertNotNull(ctx.ports);
    assertSame(portsFor("secret:tests/contoso-sp@7"), ctx.ports);
    assertNotSame(portsFor("operator"), ctx.ports);
  }

  @Test
  void aRotatedSecretGetsNewPorts() {
    referToSecret();
    secrets.put("tests/" + SECRET, secret("7"));
    run();
    AzureClients.Ports before = ctx.ports;
    secrets.put("tests/" + SECRET, secret("8"));

    run();

    assertNotSame(before, ctx.ports);
  }

  @Test
  void theNamespacesSecretComesBeforeTheOperatorsIdentity() {
    secrets.put("tests/" + ResolveCredentials.NAMESPACE_SECRET, secret("3"));
    tenancy = new Tenancy(Set.of(), false, (ns, key) -> null);
    run();

    assertInstanceOf(StepResult.Done.class, result);
    assertSame(portsFor("secret:tests/artifactstore-azure-credentials@3"), ctx.ports);
  }

  @Test
  void theSpecsSecretComesBeforeTheNamespaces() {
    referToSecret();
    secrets.put("tests/" + SECRET, secret("7"));
    secrets.put("tests/" + ResolveCredentials.NAMESPACE_SECRET, secret("3"));
    run();

    assertSame(portsFor("secret:tests/contoso-sp@7"), ctx.ports);
    assertEquals(List.of("tests/" + SECRET), reads);
  }

  @Test
  void aNamespaceNotListedMayNotUseTheOperatorsIdentity() {
    tenancy = new Tenancy(Set.of("team-a", "team-b"), false, (ns, key) -> null);
    run();

    var stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals(ResolveCredentials.REQUIRED, stalled.reason());
    assertTrue(stalled.message().contains("--operator-identity-namespaces"), stalled.message());
    assertTrue(stalled.message().contains(ResolveCredentials.NAMESPACE_SECRET), stalled.message());
    assertNull(ctx.ports);
  }

  @Test
  void aListedNamespaceMay() {
    tenancy = new Tenancy(Set.of("tests"), false, (ns, key) -> null);
    run();

    assertSame(portsFor("operator"), ctx.ports);
  }

  @Test
  void aNamedSecretWithoutTheLabelStallsSayingHowToLabelIt() {
    referToSecret();
    unlabelled.add("tests/" + SECRET);
    run();

    var stalled = assertInstanceOf(StepResult.Stalled.class, result);
    assertEquals(ResolveCredentials.NOT_LABELLED, stalled.reason());
    assertTrue(
        stalled
            .message()
            .contains(
                "kubectl label secret contoso-sp -n tests artifactstore.dev/credentials=true"),
        stalled.message());
  }

  @Test
  void aRotatedSecretsOldPortsAreDropped() {
    referToSecret();
    secrets.put("tests/" + SECRET, secret("7"));
    run();
    int cached = clients.cachedPorts();
    secrets.put("tests/" + SECRET, secret("8"));

    run();

    assertEquals(cached, clients.cachedPorts(), "version 7's ports went when 8 came");
  }

  @Test
  void thePortsOfAThousandIdentitiesStayBounded() {
    referToSecret();
    for (int i = 0; i < 1000; i++) {
      store.getSpec().setCredentialsSecretRef(new SecretReference("sp-" + i));
      secrets.put("tests/sp-" + i, secret("1"));
      run();
      assertInstanceOf(StepResult.Done.class, result);
    }

    assertEquals(AzureClients.CACHED, clients.cachedPorts());
  }
}
