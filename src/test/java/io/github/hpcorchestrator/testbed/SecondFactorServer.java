package io.github.hpcorchestrator.testbed;

import io.github.hpcorchestrator.config.HpcConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A login node that asks a second factor: MINA's SSH server in this JVM, on 127.0.0.1, whose
 * only login is keyboard-interactive with one hidden prompt answered by {@link #CODE}; commands run
 * here as this user. The testbed's sshd has no PAM to ask one. Counts sessions and logins.
 */
public final class SecondFactorServer implements AutoCloseable {
  /** The answer that logs in. */
  public static final String CODE = "135790";

  private final SshServer server = SshServer.setUpDefaultServer();
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger logins = new AtomicInteger();
  private final Path dir;

  /** Starts a server keeping its host key and known_hosts in {@code dir}. */
  public SecondFactorServer(Path dir) throws IOException {
    this.dir = dir;
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host.key")));
    // The default keyboard-interactive authenticator asks one hidden "Password:" and checks it here.
    server.setPasswordAuthenticator((user, answer, session) -> CODE.equals(answer) && logins.incrementAndGet() > 0);
    server.setKeyboardInteractiveAuthenticator(new DefaultKeyboardInteractiveAuthenticator());
    server.addSessionListener(new SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        sessions.incrementAndGet();
      }
    });
    server.setCommandFactory((channel, command) ->
        new ProcessShellFactory(command, List.of("/bin/sh", "-c", command)).createShell(channel));
    server.start();
  }

  /** The hpc section of a config for {@code user} on this server (host keys not checked: a fresh key each run). */
  public HpcConfig hpc(String user, Optional<Path> key) throws IOException {
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "");
    return new HpcConfig("127.0.0.1", server.getPort(), Optional.of(user), key, knownHosts,
        HpcConfig.HostKeyChecking.NO);
  }

  /** SSH sessions opened so far. */
  public int sessions() {
    return sessions.get();
  }

  /** Logins that gave the right code so far. */
  public int logins() {
    return logins.get();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
