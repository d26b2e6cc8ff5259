package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConfigWriterTest {
  @TempDir Path dir;

  @Test
  void webConfigHasTlsAndHashedUsersOnly() {
    String text = new WebConfigWriter().write("/d/tls.crt", "/d/tls.key", Map.of("orchestrator", "$2a$10$abc"));
    assertThat(text).isEqualTo("""
        tls_server_config:
          cert_file: /d/tls.crt
          key_file: /d/tls.key
        basic_auth_users:
          orchestrator: $2a$10$abc
        """);
  }

  @Test
  void generatedCredentialsPassPromtoolCheckWebConfig() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed");
    PrometheusCredentials creds = PrometheusCredentials.generate(new SecureRandom());
    Files.writeString(dir.resolve("tls.crt"), creds.certPem());
    Files.writeString(dir.resolve("tls.key"), creds.keyPem());
    String hash = PrometheusCredentials.bcrypt(creds.password());
    assertThat(BCrypt.verifyer().verify(creds.password().toCharArray(), hash).verified).isTrue();
    assertThat(hash).doesNotContain(creds.password());
    Path web = Files.writeString(dir.resolve("web.yml"), new WebConfigWriter().write(dir.resolve("tls.crt").toString(),
        dir.resolve("tls.key").toString(), Map.of(creds.username(), hash)));

    Process p = new ProcessBuilder("/usr/bin/promtool", "check", "web-config", web.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
    assertThat(creds.toString()).doesNotContain(creds.password());
  }
}
