package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.testbed.TempFolder;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SshShell against the real OpenSSH login node of testbed/cluster.sh: the {@link Shell} contract
 * ({@link ShellContract}) and what only SSH has (host keys, one login, reconnects, forwards).
 *
 * <p>Apache MINA SSHD without net.i2p eddsa or BouncyCastle cannot use ed25519 keys, and the
 * testbed generates only ed25519 ones; so the setup adds an ECDSA host key (sshd re-reads its
 * config on SIGHUP) and an ECDSA client key to the test cluster's own files.
 */
@Tag("integration")
class SshShellIntegrationTest extends ShellContract {
  private static Path dir;
  private static Path work;
  private static Properties env;
  private static Path clientKey;
  private static Path knownHosts;
  private static String knownHostsLine;
  private static SshShell shell;

  @BeforeAll
  static void up() throws Exception {
    Path script = Path.of("testbed/cluster.sh").toAbsolutePath();
    Assumptions.assumeTrue(Files.isExecutable(script), "no testbed/cluster.sh");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    dir = Files.createTempDirectory("sshshell-it-cluster");
    work = Files.createTempDirectory("sshshell-it-work");
    Path log = work.resolve("cluster-up.log");
    int rc = command(log, script.toString(), "up", dir.toString());
    assertThat(rc).as("cluster.sh up failed:\n%s", tail(log)).isZero();
    env = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("cluster.env"))) {
      env.load(r);
    }
    addEcdsaKeys(log);
    shell = new SshShell(config(knownHosts, HpcConfig.HostKeyChecking.YES), work);
  }

  @Override
  protected Shell shell() {
    return shell;
  }

  @Override
  protected Path scratch() {
    return dir;
  }

  @AfterAll
  static void down() throws Exception {
    if (shell != null) {
      shell.close();
    }
    if (dir != null) {
      int rc = command(work.resolve("cluster-down.log"), "testbed/cluster.sh", "down",
          dir.toString());
      assertThat(rc).as("cluster.sh down failed:\n%s", tail(work.resolve("cluster-down.log")))
          .isZero();
      TempFolder.deleteQuietly(dir);
    }
    if (work != null) {
      TempFolder.deleteQuietly(work);
    }
  }

  private static void addEcdsaKeys(Path log) throws Exception {
    Path ssh = dir.resolve("ssh");
    clientKey = ssh.resolve("id_ecdsa_it");
    Path hostKey = ssh.resolve("host_ecdsa_it");
    assertThat(command(log, "ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f",
        clientKey.toString())).isZero();
    assertThat(command(log, "ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f",
        hostKey.toString())).isZero();
    Files.writeString(ssh.resolve("authorized_keys"),
        Files.readString(Path.of(clientKey + ".pub")), java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(ssh.resolve("sshd_config"), "HostKey " + hostKey + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    long sshd = Long.parseLong(Files.readString(dir.resolve("run/sshd.pid")).trim());
    assertThat(command(log, "kill", "-HUP", Long.toString(sshd))).isZero();
    String[] pub = Files.readString(Path.of(hostKey + ".pub")).trim().split(" ");
    knownHostsLine = "[" + host() + "]:" + port() + " " + pub[0] + " " + pub[1];
    knownHosts = work.resolve("known_hosts");
    Files.writeString(knownHosts, knownHostsLine + "\n");
    // sshd restarts on SIGHUP: wait until it offers the new key.
    Path scan = work.resolve("keyscan.out");
    for (int i = 0; i < 50; i++) {
      ProcessBuilder pb = new ProcessBuilder("ssh-keyscan", "-t", "ecdsa", "-p",
          Integer.toString(port()), host()).redirectOutput(scan.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process p = pb.start();
      p.waitFor(10, TimeUnit.SECONDS);
      if (Files.readString(scan).contains(pub[1])) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("sshd did not offer the ECDSA host key:\n" + tail(log));
  }

  private static HpcConfig config(Path knownHostsFile, HpcConfig.HostKeyChecking checking) {
    return new HpcConfig(host(), port(), Optional.of(env.getProperty("SSH_USER")),
        Optional.of(clientKey), knownHostsFile, checking);
  }

  private static String host() {
    return env.getProperty("LOGIN_HOST");
  }

  private static int port() {
    return Integer.parseInt(env.getProperty("LOGIN_PORT"));
  }

  private static int command(Path log, String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
