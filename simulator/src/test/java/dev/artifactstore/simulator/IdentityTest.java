package dev.artifactstore.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** azure-identity against the simulator's ADFS-style authority. */
class IdentityTest {
  @TempDir static Path dataDir;
  static Simulator simulator;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            Simulator.options().port(0).dataDir(dataDir).client("app-one", "right-secret"));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static TokenRequestContext armScope() {
    String endpoint = simulator.endpoint();
    return new TokenRequestContext()
        .addScopes(endpoint.substring(0, endpoint.length() - 1) + "/.default");
  }

  @Test
  void clientSecretCredentialObtainsATokenThatArmAccepts() {
    AzureSdk sdk = new AzureSdk(simulator, "app-one", "right-secret");
    AccessToken token = sdk.credential.getTokenSync(armScope());
    assertFalse(token.getToken().isBlank());

    // The token opens ARM: listing subscriptions through the SDK works.
    assertEquals(
        Simulator.DEFAULT_SUBSCRIPTION,
        sdk.resources().subscriptions().list().stream().findFirst().orElseThrow().subscriptionId());
  }

  @Test
  void wrongSecretIsRefusedWhenClientsAreRestricted() {
    AzureSdk sdk = new AzureSdk(simulator, "app-one", "wrong-secret");
    RuntimeException refused =
        assertThrows(RuntimeException.class, () -> sdk.credential.getTokenSync(armScope()));
    String message = String.valueOf(refused.getMessage()) + refused.getCause();
    assertEquals(true, message.contains("MSIS9607"), message);
  }

  @Test
  void unknownClientIsRefusedWhenClientsAreRestricted() {
    ArmHttp.Response refused = new ArmHttp(simulator).token("app-two", "right-secret");
    assertEquals(401, refused.status());
    assertEquals(
        "invalid_client", refused.body().path("error").asText(), String.valueOf(refused.body()));
  }
}
