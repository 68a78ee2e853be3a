package dev.artifactstore.simulator;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.containerregistry.ContainerRegistryManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.privatedns.PrivateDnsZoneManager;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The real Azure SDK for Java, pointed at a simulator: what integration tests talk through. */
final class AzureSdk {
  static {
    // Poll intervals without Retry-After default to 30 s; the simulator always sends Retry-After,
    // this only shortens the SDK's own fallback.
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(d -> Duration.ofMillis(50));
  }

  final HttpClient httpClient;
  final SSLContext sslContext;
  final TokenCredential credential;
  final AzureProfile profile;
  final String endpoint;

  AzureSdk(Simulator simulator, String clientId, String secret) {
    this.endpoint = simulator.endpoint();
    this.sslContext = trusting(simulator.caCertificate());
    this.httpClient =
        new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(sslContext))
            .build();
    String noSlash = endpoint.substring(0, endpoint.length() - 1);
    AzureEnvironment environment =
        new AzureEnvironment(
            Map.of(
                "resourceManagerEndpointUrl", endpoint,
                "managementEndpointUrl", noSlash,
                "activeDirectoryEndpointUrl", endpoint,
                "activeDirectoryResourceId", endpoint,
                "microsoftGraphResourceId", endpoint + "graph/"));
    this.profile = new AzureProfile("adfs", Simulator.DEFAULT_SUBSCRIPTION, environment);
    this.credential =
        new ClientSecretCredentialBuilder()
            .authorityHost(endpoint)
            .tenantId("adfs")
            .clientId(clientId)
            .clientSecret(secret)
            .httpClient(httpClient)
            .disableInstanceDiscovery()
            .build();
  }

  AzureSdk(Simulator simulator) {
    this(simulator, "11111111-2222-3333-4444-555555555555", "not-a-real-secret");
  }

  static SSLContext trusting(Path caPem) {
    try (InputStream in = Files.newInputStream(caPem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "simulator", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  ResourceManager resources() {
    return ResourceManager.configure()
        .withHttpClient(httpClient)
        .authenticate(credential, profile)
        .withDefaultSubscription();
  }

  ContainerRegistryManager registries() {
    return ContainerRegistryManager.configure()
        .withHttpClient(httpClient)
        .authenticate(credential, profile);
  }

  NetworkManager network() {
    return NetworkManager.configure().withHttpClient(httpClient).authenticate(credential, profile);
  }

  /** Microsoft.Network of another subscription (a landing zone's connectivity subscription). */
  NetworkManager network(String subscription) {
    return NetworkManager.configure()
        .withHttpClient(httpClient)
        .authenticate(
            credential,
            new AzureProfile(profile.getTenantId(), subscription, profile.getEnvironment()));
  }

  PrivateDnsZoneManager privateDns() {
    return PrivateDnsZoneManager.configure()
        .withHttpClient(httpClient)
        .authenticate(credential, profile);
  }
}
