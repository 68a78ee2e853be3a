package dev.artifactstore.operator.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where Azure is and how to reach it: public Azure by default, or an ARM endpoint with its own CA
 * (the simulator). Builds the HTTP client, the environment and credentials for it.
 */
public final class AzureConnection {
  private final String endpoint;
  private final HttpClient httpClient;
  private final AzureEnvironment environment;
  private final String authorityHost;
  private final String defaultTenant;
  private final DefaultIdentity defaultIdentity;
  private TokenCredential defaultCredential;

  /** The operator's own identity when a store names no credentials Secret. */
  public record DefaultIdentity(String tenantId, String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "DefaultIdentity[tenantId="
          + tenantId
          + ", clientId="
          + clientId
          + ", clientSecret=***]";
    }
  }

  private AzureConnection(
      String endpoint,
      HttpClient httpClient,
      AzureEnvironment environment,
      String authorityHost,
      String defaultTenant,
      DefaultIdentity defaultIdentity) {
    this.endpoint = endpoint;
    this.httpClient = httpClient;
    this.environment = environment;
    this.authorityHost = authorityHost;
    this.defaultTenant = defaultTenant;
    this.defaultIdentity = defaultIdentity;
  }

  /**
   * Public Azure; credentials from workload identity or the environment (DefaultAzureCredential).
   */
  public static AzureConnection publicCloud() {
    return new AzureConnection(
        AzureEnvironment.AZURE.getResourceManagerEndpoint(),
        new JdkHttpClientBuilder().build(),
        AzureEnvironment.AZURE,
        AzureEnvironment.AZURE.getActiveDirectoryEndpoint(),
        null,
        null);
  }

  /**
   * An ARM endpoint such as the simulator's ({@code https://127.0.0.1:8443/}), trusted through the
   * CA in {@code caPem}, with an ADFS-style authority at {@code {endpoint}adfs}.
   */
  public static AzureConnection custom(String endpoint, Path caPem, DefaultIdentity identity) {
    String withSlash = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    String noSlash = withSlash.substring(0, withSlash.length() - 1);
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
    if (caPem != null) {
      jdk.sslContext(trusting(caPem));
    }
    AzureEnvironment environment =
        new AzureEnvironment(
            Map.of(
                "resourceManagerEndpointUrl", withSlash,
                "managementEndpointUrl", noSlash,
                "activeDirectoryEndpointUrl", withSlash,
                "activeDirectoryResourceId", withSlash,
                "microsoftGraphResourceId", withSlash + "graph/"));
    return new AzureConnection(
        withSlash, new JdkHttpClientBuilder(jdk).build(), environment, withSlash, "adfs", identity);
  }

  static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in " + caPem);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use CA certificate " + caPem + ": " + e.getMessage(), e);
    }
  }

  public String endpoint() {
    return endpoint;
  }

  public HttpClient httpClient() {
    return httpClient;
  }

  public AzureEnvironment environment() {
    return environment;
  }

  /** The operator's own credential. */
  /**
   * The operator's own identity, built once: a credential caches its tokens, so every store that
   * uses it shares one token instead of fetching its own.
   */
  public synchronized TokenCredential defaultCredential() {
    if (defaultCredential == null) {
      defaultCredential = newDefaultCredential();
    }
    return defaultCredential;
  }

  private TokenCredential newDefaultCredential() {
    if (defaultIdentity != null) {
      return servicePrincipal(
          defaultIdentity.tenantId() == null ? defaultTenant : defaultIdentity.tenantId(),
          defaultIdentity.clientId(),
          defaultIdentity.clientSecret());
    }
    return new DefaultAzureCredentialBuilder().httpClient(httpClient).build();
  }

  /** A service principal's credential, from a store's credentials Secret. */
  public TokenCredential servicePrincipal(String tenantId, String clientId, String clientSecret) {
    ClientSecretCredentialBuilder builder =
        new ClientSecretCredentialBuilder()
            .authorityHost(authorityHost)
            .tenantId(tenantFor(tenantId))
            .clientId(clientId)
            .clientSecret(clientSecret)
            .httpClient(httpClient);
    if (defaultTenant != null) {
      // An ADFS-style authority has no instance discovery; asking would leave this machine.
      builder.disableInstanceDiscovery();
    }
    return builder.build();
  }

  /** The tenant a profile names: the simulator's ADFS authority, or the given tenant. */
  public String tenantFor(String tenantId) {
    return defaultTenant != null ? defaultTenant : tenantId;
  }
}
