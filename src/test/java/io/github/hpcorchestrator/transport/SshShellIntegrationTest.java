package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.EcdsaLogin;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SshShell against the real OpenSSH login node of the run's shared test cluster: the {@link Shell}
 * contract ({@link ShellContract}) and what only SSH has (host keys, one login, reconnects, forwards).
 *
 * <p>Apache MINA SSHD without net.i2p eddsa or BouncyCastle cannot use ed25519 keys, and the
 * testbed generates only ed25519 ones; so the setup adds an ECDSA host key (sshd re-reads its
 * config on SIGHUP) and an ECDSA client key to the test cluster's own files.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
class SshShellIntegrationTest extends ShellContract {
  private static Path dir;
  private static Path work;
  private static TestCluster cluster;
  private static Path clientKey;
  private static Path knownHosts;
  private static String knownHostsLine;
  private static SshShell shell;

  @BeforeAll
  static void up(TestCluster shared) throws Exception {
    cluster = shared;
    dir = cluster.dir();
    work = cluster.workDir("sshshell-it-work");
    EcdsaLogin login = EcdsaLogin.add(cluster, work, "it");
    clientKey = login.clientKey();
    knownHosts = login.knownHosts();
    knownHostsLine = login.knownHostsLine();
    shell = new SshShell(config(knownHosts, HpcConfig.HostKeyChecking.YES), work);
  }

  @Override
  protected Shell shell() {
    return shell;
  }

  @Override
  protected Path scratch() {
    return work;
  }

  @AfterAll
  static void down() throws Exception {
    if (shell != null) {
      shell.close();
    }
  }

  private static HpcConfig config(Path knownHostsFile, HpcConfig.HostKeyChecking checking) {
    return new HpcConfig(host(), port(), Optional.of(cluster.get("SSH_USER")),
        Optional.of(clientKey), knownHostsFile, checking);
  }

  private static String host() {
    return cluster.get("LOGIN_HOST");
  }

  private static int port() {
    return Integer.parseInt(cluster.get("LOGIN_PORT"));
  }

  private static long acceptedLogins() throws IOException {
    return Files.readAllLines(dir.resolve("log/sshd.log")).stream()
        .filter(l -> l.contains("Accepted publickey")).count();
  }

  // ---- run ----

  @Test
  void squeueRunsThroughTheLoginNode() {
    CommandResult r = shell.run(List.of("squeue", "-h"), T);

    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  @Test
  void homeIsTheRemoteHome() {
    assertThat(shell.home()).isEqualTo(Path.of(System.getProperty("user.home")));
  }

  // ---- host keys ----

  @Test
  void anUnknownHostIsRefusedWithTheLineToAdd() throws IOException {
    Path empty = Files.writeString(work.resolve("known_hosts_empty"), "");

    try (SshShell s = new SshShell(config(empty, HpcConfig.HostKeyChecking.YES), work)) {
      assertThatThrownBy(() -> s.run(List.of("true"), T))
          .isInstanceOf(OperationFailedException.class)
          .hasMessageContaining("SHA256:")
          .hasMessageContaining(knownHostsLine)
          .hasMessageContaining("strict_host_key_checking: accept-new");
    }
    assertThat(Files.readString(empty)).isEmpty();
  }

  @Test
  void acceptNewRecordsTheKeyAndThenTrustsIt() throws IOException {
    Path file = work.resolve("accept-new/known_hosts");

    try (SshShell s = new SshShell(config(file, HpcConfig.HostKeyChecking.ACCEPT_NEW), work)) {
      assertThat(s.run(List.of("true"), T).ok()).isTrue();
    }
    assertThat(Files.readString(file)).contains(knownHostsLine.split(" ")[2]);
    try (SshShell s = new SshShell(config(file, HpcConfig.HostKeyChecking.YES), work)) {
      assertThat(s.run(List.of("true"), T).ok()).isTrue();
    }
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Path file = Files.writeString(work.resolve("known_hosts_changed"),
        HostKeyMessages.knownHostsLine(host(), port(), generator.generateKeyPair().getPublic())
            + "\n");
    String before = Files.readString(file);

    try (SshShell s = new SshShell(config(file, HpcConfig.HostKeyChecking.ACCEPT_NEW), work)) {
      assertThatThrownBy(() -> s.run(List.of("true"), T))
          .isInstanceOf(OperationFailedException.class)
          .hasMessageContaining("CHANGED")
          .hasMessageContaining("SHA256:");
    }
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void checkingOffAcceptsAnyKey() throws IOException {
    Path empty = Files.writeString(work.resolve("known_hosts_no"), "");

    try (SshShell s = new SshShell(config(empty, HpcConfig.HostKeyChecking.NO), work)) {
      assertThat(s.run(List.of("true"), T).ok()).isTrue();
    }
  }

  // ---- connection reuse, reconnect, forwards ----

  @Test
  void oneConnectionCarriesManyCommands() throws Exception {
    long before = acceptedLogins();
    try (SshShell s = new SshShell(config(knownHosts, HpcConfig.HostKeyChecking.YES), work)) {
      for (int i = 0; i < 20; i++) {
        assertThat(s.run(List.of("echo", Integer.toString(i)), T).stdout()).isEqualTo(i + "\n");
      }
      assertThat(s.sessionsOpenedForTest()).isEqualTo(1);
    }
    assertThat(acceptedLogins() - before).isEqualTo(1);
  }

  @Test
  void aCommandWhileTheRemoteShellStartsRunsInItNotOnAnExecChannelOfItsOwn() throws Exception {
    long before = acceptedLogins();
    try (SshShell s = new SshShell(config(knownHosts, HpcConfig.HostKeyChecking.YES), work)) {
      s.connect();
      Thread start = new Thread(s::startRemoteShell, "remote-shell-start");
      start.start();
      Await.until("the remote shell's start under way or done", Duration.ofSeconds(20),
          () -> s.remoteShellStartingForTest() || !start.isAlive());
      // Inside the long-lived shell a command's stdout is a file of that shell's temporary folder;
      // on an exec channel it would be the channel's pipe.
      CommandResult r = s.run(List.of("readlink", "/proc/self/fd/1"), T);
      start.join(Duration.ofSeconds(20).toMillis());
      assertThat(r.stdout()).contains("/hpco-sh.");
      assertThat(s.sessionsOpenedForTest()).isEqualTo(1);
    }
    assertThat(acceptedLogins() - before).isEqualTo(1);
  }

  @Test
  void aDroppedConnectionIsReopenedOnceAndForwardsComeBack() throws Exception {
    HttpServer http = helloServer();
    try (SshShell s = new SshShell(config(knownHosts, HpcConfig.HostKeyChecking.YES), work)) {
      InetSocketAddress local = s.reach("127.0.0.1", http.getAddress().getPort());
      assertThat(get(local)).isEqualTo("hello");

      s.dropSessionForTest();

      assertThat(s.run(List.of("echo", "again"), T).stdout()).isEqualTo("again\n");
      assertThat(s.sessionsOpenedForTest()).isEqualTo(2);
      assertThat(s.reach("127.0.0.1", http.getAddress().getPort())).isEqualTo(local);
      assertThat(get(local)).isEqualTo("hello");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void reachForwardsALoginNodePortAndReusesTheForward() throws Exception {
    HttpServer http = helloServer();
    try {
      int port = http.getAddress().getPort();
      InetSocketAddress local = shell.reach("127.0.0.1", port);

      assertThat(local.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(local.getPort()).isNotEqualTo(port);
      assertThat(get(local)).isEqualTo("hello");
      assertThat(shell.reach("127.0.0.1", port)).isEqualTo(local);
    } finally {
      http.stop(0);
    }
  }
}
