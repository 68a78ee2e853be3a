package dev.artifactstore.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading a namespace's allowed scopes: refused is a verdict, a failed API server is not. */
class CheckScopesTest {
  private final FakeAzure azure = new FakeAzure();

  private static CheckScopes failingWith(int code) {
    return new CheckScopes(
        new Tenancy(
            Set.of("*"),
            false,
            (namespace, key) -> {
              throw new KubernetesClientException("the API server says " + code, code, null);
            }));
  }

  @Test
  void aFailedApiServerIsTriedAgainNotTakenAsScopesRefused() {
    StoreContext ctx = StepFixtures.context(StepFixtures.geoStore(), azure);

    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> failingWith(503).run(ctx));

    assertEquals(503, e.getCode());
  }

  @Test
  void aNamespaceTheOperatorMayNotReadStallsTheStore() {
    StoreContext ctx = StepFixtures.context(StepFixtures.geoStore(), azure);

    var stalled = assertInstanceOf(StepResult.Stalled.class, failingWith(403).run(ctx));

    assertEquals(CheckScopes.NOT_ALLOWED, stalled.reason());
  }
}
