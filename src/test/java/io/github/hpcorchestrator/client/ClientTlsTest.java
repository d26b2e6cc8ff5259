package io.github.hpcorchestrator.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client of a monitor with auth, as a session plans it: https with the monitor's own certificate as
 * its only trust and basic auth from the password file. The certificate names only localhost and
 * 127.0.0.1, as a monitor's does; the client reaches the server at 127.0.0.2, as a client job on another
 * node reaches it by the node's name.
 */
class ClientTlsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  @TempDir Path dir;
  private PrometheusCredentials creds;
  private HttpsServer server;
  private final AtomicInteger authorized = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    creds = PrometheusCredentials.generate(RANDOM);
    server = HttpsServer.create(new InetSocketAddress("0.0.0.0", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(creds)));
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
    server.createContext("/api/v1/query", exchange -> {
      boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = (ok ? "{\"status\":\"success\"}" : "unauthorized").getBytes(StandardCharsets.UTF_8);
      if (ok) {
        authorized.incrementAndGet();
      }
      exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static SSLContext serverContext(PrometheusCredentials creds) throws Exception {
    Certificate cert = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(creds.certPem().getBytes(StandardCharsets.US_ASCII)));
    String keyBase64 = creds.keyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getDecoder().decode(keyBase64)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private ClientPlan plan(String caPem, String password) throws Exception {
    // Absolute names: a client job reads them from its folder, its working directory, which a test cannot be.
    Path jobDir = Files.createDirectories(dir.resolve("job"));
    Files.writeString(jobDir.resolve("target-ca.pem"), caPem);
    Files.writeString(jobDir.resolve("target.password"), password + "\n");
    ClientPlan base = ClientRuns.plan("https://127.0.0.2:" + server.getAddress().getPort(),
        ClientRuns.workload("http", "/api/v1/query?query=up", 0), ClientRuns.closed(2, 6, 0));
    return new ClientPlan(base.clientId(), new ClientPlan.Target(base.target().url(), Optional.of("prometheus_0"),
        Optional.of(creds.username()), Optional.of(jobDir.resolve("target.password").toString()),
        Optional.of(jobDir.resolve("target-ca.pem").toString())),
        base.workload(), base.prompts(), base.load(), base.maxErrorRate());
  }

  @Test
  void theMonitorsOwnCertificateIsTrustedUnderAnyNameAndBasicAuthIsSent() throws Exception {
    ClientRuns.Result r = ClientRuns.run(dir.resolve("job"), plan(creds.certPem(), creds.password()));

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.measured().errors()).isEmpty();
    assertThat(r.measured().requests()).isEqualTo(6);
    assertThat(authorized.get()).isEqualTo(6);
  }

  @Test
  void anotherCertificateIsRefusedAndNoRequestIsSent() throws Exception {
    String otherCert = PrometheusCredentials.generate(RANDOM).certPem();

    ClientRuns.Result r = ClientRuns.run(dir.resolve("job"), plan(otherCert, creds.password()));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.measured().errors()).isEqualTo(Map.of("tls", 6L));
    assertThat(authorized.get()).isZero();
  }

  @Test
  void aWrongPasswordIsCountedAsTheServersRefusal() throws Exception {
    ClientRuns.Result r = ClientRuns.run(dir.resolve("job"), plan(creds.certPem(), "not-the-password"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.measured().errors()).isEqualTo(Map.of("http_401", 6L));
  }
}
