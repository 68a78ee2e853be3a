package dev.artifactstore.operator.azure;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The production trust-store loader, for tests that speak HTTPS to the simulator directly. */
public final class TestTrust {
  private TestTrust() {}

  public static SSLContext trusting(Path caPem) {
    return AzureConnection.trusting(caPem);
  }
}
