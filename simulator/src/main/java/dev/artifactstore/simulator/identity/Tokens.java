package dev.artifactstore.simulator.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque bearer tokens: the client id and expiry, signed with a key kept beside the certificates,
 * so tokens stay valid across a simulator restart like Azure AD's do.
 */
public final class Tokens {
  public static final Duration LIFETIME = Duration.ofHours(1);

  private final byte[] key;
  private final Clock clock;

  public Tokens(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  public String issue(String clientId) {
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString((clientId + "|" + expires).getBytes(StandardCharsets.UTF_8));
    return "sim." + payload + "." + sign(payload);
  }

  /** The client id of a valid, unexpired token; null otherwise. */
  public String verify(String token) {
    if (token == null || !token.startsWith("sim.")) {
      return null;
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    if (!MessageDigest.isEqual(
        sign(parts[1]).getBytes(StandardCharsets.US_ASCII),
        parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int bar = decoded.lastIndexOf('|');
    if (bar < 0) {
      return null;
    }
    long expires = Long.parseLong(decoded.substring(bar + 1));
    return clock.instant().getEpochSecond() < expires ? decoded.substring(0, bar) : null;
  }

  private String sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
