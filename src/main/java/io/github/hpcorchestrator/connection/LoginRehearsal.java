package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import io.github.hpcorchestrator.transport.SshShell;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * What a connection holder does as it starts, rehearsed once at build time so that ./orchestrator
 * can record the holder's class-data archive from it: a login with a fresh ed25519 key, the host
 * key checked against known_hosts, a command through the remote shell, a forward, then a CLI
 * call on a throwaway local config. The SSH server is MINA's, in this JVM, on 127.0.0.1 for this
 * run only; commands run here as this user, as on a login node.
 */
public final class LoginRehearsal {
  private LoginRehearsal() {}

  /** Exits 0 after a full rehearsal, 1 (with one line) when any step failed. */
  public static void main(String[] args) {
    try {
      Path dir = Files.createTempDirectory("hpc-orchestrator-rehearsal");
      try {
        rehearse(dir);
      } finally {
        removeTree(dir);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      System.err.println("login rehearsal failed: " + e);
      System.exit(1);
    }
    System.exit(0);
  }

  /** One rehearsal with its files in {@code dir}. */
  static void rehearse(Path dir) throws IOException, GeneralSecurityException {
    KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    Path key = dir.resolve("id_ed25519");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "rehearsal", null, out);
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(host));
    server.setPublickeyAuthenticator((user, offered, session) -> KeyUtils.compareKeys(offered, client.getPublic()));
    server.setCommandFactory((channel, command) ->
        new ProcessShellFactory(command, List.of("/bin/sh", "-c", command)).createShell(channel));
    server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    server.start();
    try {
      Path knownHosts = dir.resolve("known_hosts");
      Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(host.getPublic())
          + "\n");
      HpcConfig hpc = new HpcConfig("127.0.0.1", server.getPort(), Optional.of(System.getProperty("user.name")),
          Optional.of(key), knownHosts, HpcConfig.HostKeyChecking.YES);
      try (SshShell shell = new SshShell(hpc, dir)) {
        CommandResult r = shell.run(List.of("true"), Shell.SHORT_TIMEOUT);
        if (!r.ok()) {
          throw new IOException("the rehearsal's remote shell did not run 'true': " + r.stderr());
        }
        InetSocketAddress forward = shell.reach("127.0.0.1", server.getPort());
        try (Socket through = new Socket()) {
          through.connect(forward, 10_000);
          through.setSoTimeout(10_000);
          through.getInputStream().read(); // the server's own banner, through the forward
        }
      }
    } finally {
      server.stop(true);
    }
    cliCall(dir);
  }

  /** What a door call loads: the CLI's warm-up, and a --status on a local config with a state database. */
  private static void cliCall(Path dir) throws IOException {
    Optional<CliRunner> runner = ServiceLoader.load(CliRunner.class).findFirst();
    if (runner.isEmpty()) {
      return;
    }
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "backend: local\nstate_dir: " + dir.resolve("state") + "\n");
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
    java.io.StringWriter why = new java.io.StringWriter();
    runner.get().warmUp();
    // --clear-state first makes the database: a --status on a state folder without one opens no SQLite.
    int code = runner.get().run(none, new PrintWriter(why, true), "--config", config.toString(), "--clear-state");
    if (code == 0) {
      code = runner.get().run(none, new PrintWriter(why, true), "--config", config.toString(), "--status",
          "--output", "json");
    }
    if (code != 0) {
      throw new IOException("the rehearsal's CLI call exited " + code + ": " + why.toString().strip());
    }
  }

  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
