package dev.artifactstore.simulator.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and a server certificate for 127.0.0.1 and localhost, kept in a directory so that
 * clients configured once (the CA file) keep trusting the simulator across restarts.
 */
public final class Certificates {
  private static final char[] PASSWORD = "simulator".toCharArray();
  private static final String KEYSTORE = "simulator-keystore.p12";
  private static final String CA_PEM = "simulator-ca.pem";

  private final Path caPem;
  private final SSLContext sslContext;

  private Certificates(Path caPem, SSLContext sslContext) {
    this.caPem = caPem;
    this.sslContext = sslContext;
  }

  /** Loads the CA and server certificate from {@code dir}, creating them at first use. */
  public static Certificates loadOrCreate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path keystoreFile = dir.resolve(KEYSTORE);
      Path caPem = dir.resolve(CA_PEM);
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      if (Files.exists(keystoreFile) && Files.exists(caPem)) {
        try (var in = Files.newInputStream(keystoreFile)) {
          keyStore.load(in, PASSWORD);
        }
      } else {
        keyStore = create(caPem);
        Path tmp = Files.createTempFile(dir, KEYSTORE, ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
          keyStore.store(out, PASSWORD);
        }
        Files.move(tmp, keystoreFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, new SecureRandom());
      return new Certificates(caPem, context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the simulator's certificates", e);
    }
  }

  public Path caCertificatePem() {
    return caPem;
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  private static KeyStore create(Path caPem)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair caKeys = generator.generateKeyPair();
    KeyPair serverKeys = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=ArtifactStore simulator CA");

    X509v3CertificateBuilder ca =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(3650))),
            caName,
            caKeys.getPublic());
    ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    ca.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate caCert = sign(ca, caKeys.getPrivate());

    X509v3CertificateBuilder server =
        new JcaX509v3CertificateBuilder(
            caName,
            BigInteger.valueOf(now.toEpochMilli() + 1),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(825))),
            new X500Name("CN=127.0.0.1"),
            serverKeys.getPublic());
    server.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    server.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    X509Certificate serverCert = sign(server, caKeys.getPrivate());

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry(
        "server", serverKeys.getPrivate(), PASSWORD, new Certificate[] {serverCert, caCert});
    keyStore.setCertificateEntry("ca", caCert);

    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(caCert);
    }
    Files.writeString(caPem, pem.toString());
    return keyStore;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
