package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.config.hosts.DefaultConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection to a login node (Apache MINA SSHD): keys, host key checking, ~/.ssh/config,
 * opened on first use and reopened when it dropped; whoever needs to know about a reopened
 * session (port forwards) registers with {@link #onReconnect}.
 */
final class SshConnection {
  private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long the server may take over a login, not counting a person's time answering a prompt. */
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);
  /** A person's time to answer one login's prompts (a code from a phone), on top of {@link #AUTH_TIMEOUT}. */
  static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);
  private static final long AUTH_POLL_MILLIS = 100;
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  /** Heartbeats without a reply after which the connection counts as dead. */
  static final int HEARTBEAT_MAX_MISSED = 3;
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_rsa", "id_ecdsa");
  private static final String EDDSA_HINT = "ed25519 keys need net.i2p.crypto:eddsa or BouncyCastle "
      + "on the classpath, which this build does not have";

  private final HpcConfig config;
  private final String username;
  private final Path localHome;
  private final AtomicBoolean warnedUnchecked = new AtomicBoolean();
  private final List<Consumer<ClientSession>> reconnectListeners = new CopyOnWriteArrayList<>();
  private final TerminalPrompts prompts;
  private final Duration authTimeout;

  private final Object lock = new Object();
  private SshClient client; // guarded by lock
  private ClientSession session; // guarded by lock
  private int sessionsOpened; // guarded by lock
  private boolean closed; // guarded by lock
  /** Why the last connection attempt refused the host key, set by the verifier. */
  private volatile String hostKeyRefusal;

  /** A connection to the login node {@code config} names, with ~/.ssh under {@code localHome}. */
  SshConnection(HpcConfig config, Path localHome) {
    this(config, localHome, TerminalPrompts.console());
  }

  /** Like {@link #SshConnection(HpcConfig, Path)}, answering second-factor prompts from {@code source}. */
  SshConnection(HpcConfig config, Path localHome, PromptSource source) {
    this(config, localHome, source, AUTH_TIMEOUT);
  }

  /** As above, with the server's part of a login bounded by {@code authTimeout} (tests). */
  SshConnection(HpcConfig config, Path localHome, PromptSource source, Duration authTimeout) {
    this.authTimeout = authTimeout;
    this.prompts = new TerminalPrompts(source);
    this.config = config;
    this.username = config.username().orElse(System.getProperty("user.name"));
    this.localHome = localHome;
  }

  /** Calls {@code listener} with every session opened after the first (forwards restart there). */
  void onReconnect(Consumer<ClientSession> listener) {
    reconnectListeners.add(listener);
  }

  /** The open session, connecting (or reconnecting) first when there is none. */
  ClientSession session() {
    synchronized (lock) {
      if (closed) {
        throw new OperationFailedException("the SSH connection to " + this + " is closed");
      }
      if (session != null && session.isOpen()) {
        return session;
      }
      boolean reconnect = session != null || sessionsOpened > 0;
      if (session != null) {
        LOG.info("SSH connection to {} was lost; reconnecting", this);
        session.close(true);
        session = null;
      }
      ClientSession s = connect();
      session = s;
      sessionsOpened++;
      if (reconnect) {
        for (Consumer<ClientSession> l : reconnectListeners) {
          l.accept(s);
        }
      }
      return s;
    }
  }

  /** Sets up the client (keys, host key checking, algorithms) if not yet, without connecting. */
  void prepare() {
    synchronized (lock) {
      if (closed) {
        throw new OperationFailedException("the SSH connection to " + this + " is closed");
      }
      if (client == null) {
        client = startClient();
      }
    }
  }

  /** The session if one is open now, without connecting; null otherwise. */
  ClientSession currentSession() {
    synchronized (lock) {
      return session != null && session.isOpen() ? session : null;
    }
  }

  /** Forgets {@code s} (it failed under a command) so the next use reconnects. */
  void discard(ClientSession s) {
    synchronized (lock) {
      if (session == s) {
        session = null;
      }
    }
    s.close(true);
  }

  private ClientSession connect() {
    if (client == null) {
      client = startClient();
    }
    hostKeyRefusal = null;
    ClientSession s = null;
    try {
      s = client.connect(username, config.hostname(), config.port())
          .verify(CONNECT_TIMEOUT).getSession();
      awaitAuth(s);
      LOG.debug("connected to {}", this);
      return s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close(true);
      }
      String refusal = hostKeyRefusal != null ? hostKeyRefusal : prompts.refusal();
      if (refusal != null) {
        throw new OperationFailedException(refusal, e);
      }
      String hint = String.valueOf(e.getMessage()).contains("host key algorithms")
          && !SecurityUtils.isEDDSACurveSupported() ? " (if the server offers only ssh-ed25519: "
          + EDDSA_HINT + ")" : "";
      throw new OperationFailedException("cannot connect to the login node " + this + ": "
          + describe(e) + hint, e);
    }
  }

  /**
   * Waits for the login of {@code s}: at most {@code authTimeout} of the server's time, since the
   * time a person spends answering a second factor is not the server being slow.
   */
  private void awaitAuth(ClientSession s) throws IOException {
    AuthFuture auth = s.auth();
    long start = System.nanoTime();
    while (!auth.await(AUTH_POLL_MILLIS)) {
      if (System.nanoTime() - start - prompts.answeringNanos() > authTimeout.toNanos()) {
        throw new SshException("no login within " + authTimeout.toSeconds() + " s (not counting the time "
            + "spent answering prompts)");
      }
    }
    auth.verify();
  }

  private SshClient startClient() {
    SshClient c = SshClient.setUpDefaultClient();
    c.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, CONNECT_TIMEOUT);
    // The session's own bound includes a person's answer; awaitAuth bounds the server's part.
    CoreModuleProperties.AUTH_TIMEOUT.set(c, authTimeout.plus(ANSWER_TIMEOUT));
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, HEARTBEAT_INTERVAL);
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, HEARTBEAT_MAX_MISSED);
    CoreModuleProperties.TCP_NODELAY.set(c, true);
    c.setServerKeyVerifier(serverKeyVerifier());
    Path sshConfig = localHome.resolve(".ssh").resolve("config");
    c.setHostConfigEntryResolver(Files.isRegularFile(sshConfig)
        ? new DefaultConfigFileHostEntryResolver(sshConfig, true)
        : HostConfigEntryResolver.EMPTY);
    c.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(loadKeys()));
    c.setUserInteraction(prompts);
    c.start();
    return c;
  }

  private List<KeyPair> loadKeys() {
    if (config.keyFilename().isPresent()) {
      Path file = config.keyFilename().get();
      if (!Files.isReadable(file)) {
        throw new InputException("hpc.key_filename: cannot read " + file);
      }
      try {
        return load(file);
      } catch (IOException | RuntimeException e) {
        throw new InputException("hpc.key_filename: cannot use the SSH key " + file + ": "
            + describe(e) + " (passphrase-protected keys are not supported; " + EDDSA_HINT + ")");
      }
    }
    List<KeyPair> keys = new ArrayList<>();
    for (String name : DEFAULT_KEYS) {
      Path file = localHome.resolve(".ssh").resolve(name);
      if (Files.isReadable(file)) {
        try {
          keys.addAll(load(file));
        } catch (IOException | RuntimeException e) {
          LOG.debug("skipping SSH key {}: {}", file, describe(e));
        }
      }
    }
    return keys;
  }

  private static List<KeyPair> load(Path file) throws IOException {
    List<KeyPair> keys = new ArrayList<>();
    // Problems surface as RuntimeExceptions from the iterator.
    new FileKeyPairProvider(file).loadKeys(null).forEach(keys::add);
    if (keys.isEmpty()) {
      throw new IOException("no key found in " + file);
    }
    return keys;
  }

  private ServerKeyVerifier serverKeyVerifier() {
    if (config.hostKeyChecking() == HpcConfig.HostKeyChecking.NO) {
      return (s, remote, key) -> {
        if (warnedUnchecked.compareAndSet(false, true)) {
          LOG.warn("host key checking is off (strict_host_key_checking: no): accepting {} key {} "
              + "of {} without verification", KeyUtils.getKeyType(key),
              HostKeyMessages.fingerprint(key), this);
        }
        return true;
      };
    }
    Path knownHosts = config.knownHosts();
    ServerKeyVerifier unknown;
    if (config.hostKeyChecking() == HpcConfig.HostKeyChecking.ACCEPT_NEW) {
      createParent(knownHosts);
      unknown = (s, remote, key) -> {
        LOG.warn("recording the new host key of {} in {}: {} {}", this, knownHosts,
            KeyUtils.getKeyType(key), HostKeyMessages.fingerprint(key));
        return true;
      };
    } else {
      unknown = (s, remote, key) -> {
        SshdSocketAddress target = target(s, remote);
        hostKeyRefusal = HostKeyMessages.unknownHost(target.getHostName(), target.getPort(), key,
            knownHosts);
        return false;
      };
    }
    KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknown, knownHosts);
    verifier.setModifiedServerKeyAcceptor((s, remote, entry, expected, actual) -> {
      SshdSocketAddress target = target(s, remote);
      hostKeyRefusal = HostKeyMessages.changedHost(target.getHostName(), target.getPort(),
          expected, actual, knownHosts);
      return false;
    });
    return verifier;
  }

  /** The host and port as the user named them (after ~/.ssh/config), for known_hosts lines. */
  private SshdSocketAddress target(ClientSession s, SocketAddress remote) {
    SocketAddress connect = s.getConnectAddress();
    return SshdSocketAddress.toSshdSocketAddress(connect != null ? connect : remote);
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new OperationFailedException("cannot create " + parent + ": " + describe(e), e);
    }
  }

  /** Closes the session and the client; later calls fail with "closed". */
  void close() {
    synchronized (lock) {
      closed = true;
      if (session != null) {
        session.close(true);
        session = null;
      }
      if (client != null) {
        client.stop();
        client = null;
      }
    }
  }

  /** How many SSH sessions this connection has opened. */
  int sessionsOpened() {
    synchronized (lock) {
      return sessionsOpened;
    }
  }

  /** Closes the session as a network failure would (tests). */
  void dropSessionForTest() {
    ClientSession s;
    synchronized (lock) {
      s = session;
    }
    if (s != null) {
      s.close(true).awaitUninterruptibly(CONNECT_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return username + "@" + config.hostname() + ":" + config.port();
  }

  static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }
}
