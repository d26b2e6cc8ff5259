package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.files.FileTrees;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import io.github.hpcorchestrator.transport.SshShell;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
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
        FileTrees.remove(dir);
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
    cliCall();
  }

  /** What a door call loads: the CLI's warm-up, which runs a --status on a local config of its own. */
  private static void cliCall() throws IOException {
    Optional<CliRunner> runner = ServiceLoader.load(CliRunner.class).findFirst();
    if (runner.isPresent() && !runner.get().warmUp()) {
      throw new IOException("the rehearsal's CLI warm-up did not run through (a step's exit code was not 0)");
    }
  }
}
