package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.config.HpcConfig;
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
 * The parts of the build's rehearsal ({@code front.ColdCallRehearsal}) that a connection holder
 * does as it starts: an SSH server to log in to ({@link Server}), a login with its fresh ed25519
 * key and the host key checked against known_hosts, a command through the remote shell, a forward,
 * and the CLI's warm-up on a throwaway local config.
 */
public final class LoginRehearsal {
  private LoginRehearsal() {}

  /**
   * A login to {@code hpc} with {@code home} as the local home, a command through the remote shell
   * and a byte through a forward to the server's own port.
   */
  public static void login(HpcConfig hpc, Path home) throws IOException {
    try (SshShell shell = new SshShell(hpc, home)) {
      CommandResult r = shell.run(List.of("true"), Shell.SHORT_TIMEOUT);
      if (!r.ok()) {
        throw new IOException("the rehearsal's remote shell did not run 'true': " + r.stderr());
      }
      InetSocketAddress forward = shell.reach("127.0.0.1", hpc.port());
      try (Socket through = new Socket()) {
        through.connect(forward, 10_000);
        through.setSoTimeout(10_000);
        through.getInputStream().read(); // the server's own banner, through the forward
      }
    }
  }

  /**
   * The rehearsal's SSH server (MINA's, in this JVM, on 127.0.0.1) with a fresh host key and a
   * fresh client key in its folder; commands run here as this user, as on a login node.
   */
  public static final class Server implements AutoCloseable {
    private final SshServer server;
    private final HpcConfig hpc;

    private Server(SshServer server, HpcConfig hpc) {
      this.server = server;
      this.hpc = hpc;
    }

    /** Starts one, its key files (id_ed25519, known_hosts) in {@code dir}. */
    public static Server start(Path dir) throws IOException, GeneralSecurityException {
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
      Path knownHosts = dir.resolve("known_hosts");
      Files.writeString(knownHosts, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(host.getPublic())
          + "\n");
      return new Server(server, new HpcConfig("127.0.0.1", server.getPort(),
          Optional.of(System.getProperty("user.name")), Optional.of(key), knownHosts, HpcConfig.HostKeyChecking.YES));
    }

    /** How to log in to it: this user, the folder's key and known_hosts. */
    public HpcConfig hpc() {
      return hpc;
    }

    @Override
    public void close() throws IOException {
      server.stop(true);
    }
  }

  /**
   * What a door call loads: the CLI's warm-up, which runs a --status on a local config of its own.
   *
   * @throws IOException when a step's exit code was not 0
   */
  public static void cliCall() throws IOException {
    Optional<CliRunner> runner = ServiceLoader.load(CliRunner.class).findFirst();
    if (runner.isPresent() && !runner.get().warmUp()) {
      throw new IOException("the rehearsal's CLI warm-up did not run through (a step's exit code was not 0)");
    }
  }
}
