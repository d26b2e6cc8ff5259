package io.github.hpcorchestrator.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ECDSA client key and host key added to a test cluster's sshd: Apache MINA SSHD without
 * net.i2p eddsa or BouncyCastle cannot use the ed25519 keys the testbed makes.
 *
 * @param clientKey the private client key, authorized on the login node
 * @param knownHosts a known_hosts file holding only {@code knownHostsLine}
 * @param knownHostsLine the login node's ECDSA host key as a known_hosts line
 */
public record EcdsaLogin(Path clientKey, Path knownHosts, String knownHostsLine) {

  /**
   * Adds keys named after {@code name} to {@code cluster}'s sshd (which re-reads its config on
   * SIGHUP), writes known_hosts into {@code work}, adds the host key to the cluster's own known_hosts,
   * and returns once sshd offers the new host key.
   */
  public static EcdsaLogin add(TestCluster cluster, Path work, String name) throws IOException, InterruptedException {
    Path ssh = cluster.dir().resolve("ssh");
    Path clientKey = ssh.resolve("id_ecdsa_" + name);
    Path hostKey = ssh.resolve("host_ecdsa_" + name);
    command("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", clientKey.toString());
    command("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", hostKey.toString());
    Files.writeString(ssh.resolve("authorized_keys"), Files.readString(Path.of(clientKey + ".pub")),
        StandardOpenOption.APPEND);
    Files.writeString(ssh.resolve("sshd_config"), "HostKey " + hostKey + "\n", StandardOpenOption.APPEND);
    command("kill", "-HUP", Files.readString(cluster.dir().resolve("run/sshd.pid")).trim());
    String[] pub = Files.readString(Path.of(hostKey + ".pub")).trim().split(" ");
    String host = cluster.get("LOGIN_HOST");
    String port = cluster.get("LOGIN_PORT");
    String line = "[" + host + "]:" + port + " " + pub[0] + " " + pub[1];
    Path knownHosts = Files.writeString(work.resolve("known_hosts_" + name), line + "\n");
    // The cluster may be shared: every later client that trusts its known_hosts must also trust the
    // new host key sshd now offers, or it sees a changed host key.
    Files.writeString(Path.of(cluster.get("KNOWN_HOSTS")), line + "\n", StandardOpenOption.APPEND);
    Path scan = work.resolve("keyscan_" + name + ".out");
    // sshd restarts on SIGHUP: wait until it offers the new key.
    Await.until("sshd to offer the ECDSA host key", Duration.ofSeconds(30), () -> {
      try {
        Process p = new ProcessBuilder("ssh-keyscan", "-t", "ecdsa", "-p", port, host)
            .redirectOutput(scan.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(10, TimeUnit.SECONDS);
        return Files.readString(scan).contains(pub[1]);
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });
    return new EcdsaLogin(clientKey, knownHosts, line);
  }

  private static void command(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("failed: " + List.of(argv));
    }
  }
}
