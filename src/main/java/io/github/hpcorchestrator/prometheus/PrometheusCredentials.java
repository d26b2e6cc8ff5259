package io.github.hpcorchestrator.prometheus;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.tls.PinnedTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * What guards one Prometheus: a self-signed TLS certificate, the orchestrator's basic-auth user
 * (its password exists in clear only in the user's private state), and a separate user for
 * Prometheus's self-scrape (its password lives only in the job's private folder).
 *
 * @param username the orchestrator's user
 * @param password the orchestrator's password, in clear
 * @param scrapeUsername the self-scrape user
 * @param scrapePassword the self-scrape password
 * @param certPem the server certificate (PEM), also the only one the orchestrator trusts for it
 * @param keyPem the server's private key (PKCS#8 PEM)
 */
public record PrometheusCredentials(
    @JsonProperty("username") String username,
    @JsonProperty("password") String password,
    @JsonProperty("scrape_username") String scrapeUsername,
    @JsonProperty("scrape_password") String scrapePassword,
    @JsonProperty("cert_pem") String certPem,
    @JsonProperty("key_pem") String keyPem) {

  private static final int BCRYPT_COST = 10;

  /**
   * Fresh credentials: random passwords and a self-signed EC certificate for localhost and
   * 127.0.0.1 (the names clients use through tunnels), made with the JDK's keytool.
   */
  public static PrometheusCredentials generate(SecureRandom random) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("hpco-cert");
      Path store = dir.resolve("cert.p12");
      String storePassword = token(random);
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "prometheus", "-keyalg", "EC",
          "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650",
          "-dname", "CN=hpc-orchestrator prometheus", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
          "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", storePassword)
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new OperationFailedException("keytool could not make a certificate: " + output.strip());
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, storePassword.toCharArray());
      }
      PrivateKey key = (PrivateKey) ks.getKey("prometheus", storePassword.toCharArray());
      X509Certificate cert = (X509Certificate) ks.getCertificate("prometheus");
      return new PrometheusCredentials("orchestrator", token(random), "self-scrape", token(random),
          pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new OperationFailedException("cannot make Prometheus credentials: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while making Prometheus credentials", e);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException ignored) {
          // A temp folder left behind holds only a keystore whose password is gone.
        }
      }
    }
  }

  /** bcrypt hash of {@code password}, as Prometheus's web config wants it. */
  public static String bcrypt(String password) {
    return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
  }

  /** An SSL context that trusts exactly this certificate, whatever name the connection used. */
  public SSLContext pinnedContext() {
    try {
      X509Certificate pinned = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
      return PinnedTrust.context(List.of(pinned));
    } catch (GeneralSecurityException e) {
      throw new OperationFailedException("cannot use the monitor's certificate: " + e.getMessage(), e);
    }
  }

  /** The orchestrator's basic-auth credentials. */
  public BasicAuth basicAuth() {
    return new BasicAuth(username, password);
  }

  @Override
  public String toString() {
    return "PrometheusCredentials[username=" + username + ", password=****]";
  }

  private static String token(SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
