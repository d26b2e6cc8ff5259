package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HostKeyMessagesTest {

  private static PublicKey ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair().getPublic();
  }

  @Test
  void hostPatternBracketsNonDefaultPorts() {
    assertThat(HostKeyMessages.hostPattern("login.example.org", 22)).isEqualTo("login.example.org");
    assertThat(HostKeyMessages.hostPattern("127.0.0.1", 2222)).isEqualTo("[127.0.0.1]:2222");
  }

  @Test
  void unknownHostNamesTypeFingerprintAndLineToAdd() throws Exception {
    PublicKey key = ecKey();
    String line = HostKeyMessages.knownHostsLine("login1", 2222, key);
    String blob = line.split(" ")[2];
    String expectedFingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob)));

    String message = HostKeyMessages.unknownHost("login1", 2222, key, Path.of("/h/.ssh/known_hosts"));

    assertThat(line).startsWith("[login1]:2222 ecdsa-sha2-nistp256 AAAA");
    assertThat(HostKeyMessages.fingerprint(key)).isEqualTo(expectedFingerprint);
    assertThat(message)
        .contains("[login1]:2222")
        .contains("ecdsa-sha2-nistp256 host key with fingerprint " + expectedFingerprint)
        .contains("add this line to /h/.ssh/known_hosts:\n  " + line + "\n")
        .contains("strict_host_key_checking: accept-new");
  }

  @Test
  void changedHostShowsBothFingerprintsAndHowToRemoveTheOldOne() throws Exception {
    PublicKey old = ecKey();
    PublicKey now = ecKey();

    String message = HostKeyMessages.changedHost("login1", 22, old, now, Path.of("/kh"));

    assertThat(message)
        .contains("has CHANGED")
        .contains(HostKeyMessages.fingerprint(old))
        .contains(HostKeyMessages.fingerprint(now))
        .contains("ssh-keygen -R 'login1' -f /kh");
  }
}
