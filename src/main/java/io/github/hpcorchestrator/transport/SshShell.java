package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.DefaultConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on a cluster's login node over one SSH connection (Apache MINA SSHD), opened on
 * first use and reopened once when it dropped: {@link #run} then runs its command again (also when
 * the drop came while it ran, since run() commands are safe to repeat), {@link #runOnce} fails with
 * "may or may not have finished" instead. Files are written with {@code cat} into a
 * temporary sibling and renamed, so no SFTP subsystem is needed. Ports the login node can reach
 * are made reachable here through local port forwards.
 *
 * <p>Commands run in one long-lived remote {@code sh} per connection ({@link RemoteSh}): sshd
 * starts every exec channel through the user's login shell, which reads ~/.bashrc each time (on
 * some login nodes seconds of {@code module} or {@code pyenv} setup), so one channel per command
 * paid that for every squeue. A command that arrives while that shell is busy (another thread)
 * gets an exec channel of its own, as before.
 */
public final class SshShell implements Shell {
  private static final Logger LOG = LoggerFactory.getLogger(SshShell.class);

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  /** Heartbeats without a reply after which the connection counts as dead. */
  static final int HEARTBEAT_MAX_MISSED = 3;
  private static final Duration CHANNEL_OPEN_TIMEOUT = Duration.ofSeconds(30);
  /** Exit status of the read script when the file does not exist (cat itself uses 1). */
  static final int NO_SUCH_FILE_EXIT = 44;
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_rsa", "id_ecdsa");
  private static final String EDDSA_HINT = "ed25519 keys need net.i2p.crypto:eddsa or BouncyCastle "
      + "on the classpath, which this build does not have";

  private final HpcConfig config;
  private final String username;
  private final Path localHome;
  private final AtomicBoolean warnedUnchecked = new AtomicBoolean();

  private final Object lock = new Object();
  private SshClient client; // guarded by lock
  private ClientSession session; // guarded by lock
  private final Map<String, Forward> reachable = new LinkedHashMap<>(); // guarded by lock
  private final Set<Forward> forwards = new LinkedHashSet<>(); // guarded by lock
  private int sessionsOpened; // guarded by lock
  /** Held while a command runs in {@link #remoteSh}; a second thread uses an exec channel. */
  private final ReentrantLock remoteShBusy = new ReentrantLock();
  private RemoteSh remoteSh; // guarded by remoteShBusy
  private boolean closed; // guarded by lock
  private volatile Path remoteHome;
  /** Why the last connection attempt refused the host key, set by the verifier. */
  private volatile String hostKeyRefusal;

  /** A shell for the login node {@code config} names; nothing is connected until first use. */
  public SshShell(HpcConfig config) {
    this(config, Path.of(System.getProperty("user.home")));
  }

  /** As {@link #SshShell(HpcConfig)}, with {@code localHome} for ~/.ssh (tests). */
  SshShell(HpcConfig config, Path localHome) {
    this.config = config;
    this.username = config.username().orElse(System.getProperty("user.name"));
    this.localHome = localHome;
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    return text(exec(ShellQuoting.join(argv), new byte[0], timeout, true, name(argv)));
  }

  /** Like {@link #run}, but a dropped connection fails the command instead of retrying it. */
  @Override
  public CommandResult runOnce(List<String> argv, Duration timeout) {
    return text(exec(ShellQuoting.join(argv), new byte[0], timeout, false, name(argv)));
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    String target = expandHome(path);
    Raw r = exec(ShellQuoting.join(writeFileArgv(target, mode)), content, SHORT_TIMEOUT, true,
        "writing " + target);
    if (r.exitCode != 0) {
      throw new OperationFailedException("cannot write " + target + " on " + this + ": "
          + stderrOrExit(r));
    }
  }

  @Override
  public byte[] readFile(String path) {
    String target = expandHome(path);
    Raw r = exec(ShellQuoting.join(readFileArgv(target)), new byte[0], SHORT_TIMEOUT, true,
        "reading " + target);
    if (r.exitCode == NO_SUCH_FILE_EXIT) {
      return new byte[0];
    }
    if (r.exitCode != 0) {
      throw new OperationFailedException("cannot read " + target + " on " + this + ": "
          + stderrOrExit(r));
    }
    return r.stdout;
  }

  /**
   * Forwards an ephemeral port on 127.0.0.1 to {@code host:port} as the login node resolves it;
   * the same forward is returned for the same host and port until the shell is closed.
   */
  @Override
  public InetSocketAddress reach(String host, int port) {
    synchronized (lock) {
      ClientSession s = session();
      String key = host + ":" + port;
      Forward f = reachable.get(key);
      if (f == null) {
        f = new Forward(host, port, 0);
        f.start(s);
        reachable.put(key, f);
        forwards.add(f);
      }
      return new InetSocketAddress("127.0.0.1", f.localPort);
    }
  }

  /**
   * Forwards 127.0.0.1:{@code localPort} to {@code host:port} as the login node resolves it,
   * until the returned tunnel or this shell is closed.
   */
  public SshTunnel holdTunnel(String host, int port, int localPort) {
    synchronized (lock) {
      ClientSession s = session();
      Forward f = new Forward(host, port, localPort);
      f.start(s);
      forwards.add(f);
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", f.localPort);
      return new SshTunnel() {
        @Override
        public InetSocketAddress localAddress() {
          return address;
        }

        @Override
        public void close() {
          synchronized (lock) {
            if (forwards.remove(f) && session != null) {
              f.stop(session);
            }
          }
        }
      };
    }
  }

  @Override
  public boolean isLocal() {
    return false;
  }

  /** The remote $HOME, asked once per shell. */
  @Override
  public Path home() {
    Path home = remoteHome;
    if (home == null) {
      Raw r = exec(ShellQuoting.join(List.of("sh", "-c", "printf %s \"$HOME\"")), new byte[0],
          SHORT_TIMEOUT, true, "printf");
      String text = new String(r.stdout, StandardCharsets.UTF_8);
      if (r.exitCode != 0 || !text.startsWith("/")) {
        throw new OperationFailedException("cannot tell the home directory on " + this + ": "
            + stderrOrExit(r));
      }
      home = Path.of(text);
      remoteHome = home;
    }
    return home;
  }

  @Override
  public void close() {
    if (remoteShBusy.tryLock()) {
      try {
        dropRemoteSh();
      } finally {
        remoteShBusy.unlock();
      }
    }
    synchronized (lock) {
      closed = true;
      if (session != null) {
        for (Forward f : forwards) {
          f.stop(session);
        }
        session.close(true);
        session = null;
      }
      forwards.clear();
      reachable.clear();
      if (client != null) {
        client.stop();
        client = null;
      }
    }
  }

  @Override
  public String toString() {
    return username + "@" + config.hostname() + ":" + config.port();
  }

  /** How many SSH sessions this shell has opened (tests: one connection is reused). */
  int sessionsOpenedForTest() {
    synchronized (lock) {
      return sessionsOpened;
    }
  }

  /** Closes the SSH session under this shell as a network failure would (tests). */
  void dropSessionForTest() {
    ClientSession s;
    synchronized (lock) {
      s = session;
    }
    if (s != null) {
      s.close(true).awaitUninterruptibly(CONNECT_TIMEOUT);
    }
  }

  // ---- remote commands, kept as pure functions so their quoting can be tested ----

  /**
   * {@code sh -c SCRIPT sh PATH} that writes stdin to PATH through a temporary sibling: the path
   * is a positional argument, never part of the script.
   */
  static List<String> writeFileArgv(String path, int mode) {
    if (mode < 0 || mode > 07777) {
      throw new IllegalArgumentException("not a file mode: " + Integer.toOctalString(mode));
    }
    String script = "umask 077; tmp=\"$1.tmp.$$\"; "
        + "mkdir -p -- \"$(dirname -- \"$1\")\" && cat > \"$tmp\" && chmod "
        + String.format("%04o", mode) + " -- \"$tmp\" && mv -f -- \"$tmp\" \"$1\" "
        + "|| { rm -f -- \"$tmp\"; exit 1; }";
    return List.of("sh", "-c", script, "sh", path);
  }

  /** {@code cat -- PATH}, exiting {@link #NO_SUCH_FILE_EXIT} when PATH does not exist. */
  static List<String> readFileArgv(String path) {
    return List.of("sh", "-c", "[ -e \"$1\" ] || exit " + NO_SUCH_FILE_EXIT + "; exec cat -- \"$1\"",
        "sh", path);
  }

  /** {@code path} with a leading {@code ~}, {@code $HOME} or {@code ${HOME}} replaced by {@code home}. */
  static String expandHome(String path, java.util.function.Supplier<Path> home) {
    for (String prefix : List.of("~", "$HOME", "${HOME}")) {
      if (path.equals(prefix)) {
        return home.get().toString();
      }
      if (path.startsWith(prefix + "/")) {
        return home.get().resolve(path.substring(prefix.length() + 1)).toString();
      }
    }
    return path;
  }

  private String expandHome(String path) {
    return expandHome(path, this::home);
  }

  // ---- exec ----

  record Raw(int exitCode, byte[] stdout, byte[] stderr) {}

  /**
   * A remote {@code sh} reading requests on stdin. Each request runs one command in a subshell
   * with its stdin from /dev/null or from a file the request carries (base64), its stdout and
   * stderr into files; the answer is a header line {@code TOKEN EXIT OUTLEN ERRLEN} followed by
   * exactly those bytes, so no output can be mistaken for the end of an answer. TOKEN is random
   * per shell.
   */
  static final class RemoteSh {
    /** Thrown when an answer did not come in time. */
    static final class Timeout extends IOException {
      Timeout() {
        super("timed out");
      }
    }

    final String token;
    private final ChannelExec channel;
    private final OutputStream in;
    private final ChannelPipedInputStream out;

    private RemoteSh(ChannelExec channel, String token) {
      this.channel = channel;
      this.token = token;
      this.in = channel.getInvertedIn();
      this.out = (ChannelPipedInputStream) channel.getInvertedOut();
    }

    static RemoteSh open(ClientSession s, long deadline) throws IOException {
      ChannelExec channel = s.createExecChannel("exec sh");
      channel.setErr(new ByteArrayOutputStream());
      channel.open().verify(CHANNEL_OPEN_TIMEOUT);
      RemoteSh sh = new RemoteSh(channel, "hpco-" + Long.toHexString(new java.security.SecureRandom().nextLong()));
      sh.send("d=$(mktemp -d \"${TMPDIR:-/tmp}/hpco-sh.XXXXXX\") || exit 1\n"
          + "trap 'rm -rf \"$d\"' EXIT; trap 'exit 129' HUP; trap 'exit 141' PIPE; trap 'exit 143' TERM\n"
          + request("true", new byte[0], sh.token));
      Raw ready = sh.answer(deadline);
      if (ready.exitCode() != 0) {
        sh.close();
        throw new IOException("the remote shell did not start");
      }
      return sh;
    }

    /** The text that runs {@code command} with {@code stdin} and prints its answer. */
    static String request(String command, byte[] stdin, String token) {
      StringBuilder r = new StringBuilder();
      String input = "/dev/null";
      if (stdin.length > 0) {
        r.append("base64 -d >\"$d/i\" <<'").append(token).append("'\n")
            .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(stdin)).append('\n')
            .append(token).append('\n');
        input = "\"$d/i\"";
      }
      // The newline before ")" ends a command that ends in a comment or a here-document.
      r.append("(\n").append(command).append("\n) <").append(input).append(" >\"$d/o\" 2>\"$d/e\"; ")
          .append("hpco_rc=$?; printf '\\n").append(token).append(" %s %s %s\\n' \"$hpco_rc\" ")
          .append("\"$(wc -c <\"$d/o\")\" \"$(wc -c <\"$d/e\")\"; cat \"$d/o\" \"$d/e\"\n");
      return r.toString();
    }

    boolean isOpen() {
      return channel.isOpen() && !channel.isClosing();
    }

    void send(String text) throws IOException {
      in.write(text.getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    Raw answer(long deadline) throws IOException {
      String prefix = token + " ";
      String header;
      do {
        header = line(deadline);
      } while (!header.startsWith(prefix));
      String[] f = header.substring(prefix.length()).trim().split("\\s+");
      if (f.length != 3) {
        throw new IOException("garbled answer from the remote shell: " + header);
      }
      byte[] stdout = bytes(Integer.parseInt(f[1]), deadline);
      byte[] stderr = bytes(Integer.parseInt(f[2]), deadline);
      return new Raw(Integer.parseInt(f[0]), stdout, stderr);
    }

    private String line(long deadline) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (int c = read(deadline); c != '\n'; c = read(deadline)) {
        b.write(c);
      }
      return b.toString(StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n, long deadline) throws IOException {
      byte[] buf = new byte[n];
      for (int off = 0; off < n; ) {
        setTimeout(deadline);
        int k;
        try {
          k = out.read(buf, off, n - off);
        } catch (IOException e) {
          throw timedOut(e, deadline) ? new Timeout() : e;
        }
        if (k < 0) {
          throw new IOException("the remote shell ended");
        }
        off += k;
      }
      return buf;
    }

    private int read(long deadline) throws IOException {
      setTimeout(deadline);
      int c;
      try {
        c = out.read();
      } catch (IOException e) {
        throw timedOut(e, deadline) ? new Timeout() : e;
      }
      if (c < 0) {
        throw new IOException("the remote shell ended");
      }
      return c;
    }

    private void setTimeout(long deadline) throws Timeout {
      long leftNanos = deadline - System.nanoTime();
      if (leftNanos <= 0) {
        throw new Timeout();
      }
      // Rounded up, plus one: MINA counts in milliseconds of another clock, and a wait cut short by
      // rounding ended before the deadline.
      out.setTimeout(leftNanos / 1_000_000 + 2);
    }

    /**
     * Whether a failed read is the wait running out, not the connection going away. MINA reports
     * its read timeout as {@code SocketException("Timeout (N) exceeded after K cycles")}; taken for
     * a dropped connection, it had a command that merely ran long rerun on a new connection.
     */
    private static boolean timedOut(IOException e, long deadline) {
      return e instanceof java.io.InterruptedIOException
          || System.nanoTime() >= deadline
          || e instanceof java.net.SocketException && String.valueOf(e.getMessage()).startsWith("Timeout (");
    }

    void close() {
      channel.close(true);
    }
  }

  /** How long starting the long-lived remote shell may take. */
  private static final Duration REMOTE_SHELL_START = Duration.ofSeconds(60);

  private Raw exec(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    if (remoteShBusy.tryLock()) {
      try {
        return execInRemoteSh(command, stdin, timeout, mayRetry, what);
      } finally {
        remoteShBusy.unlock();
      }
    }
    return execChannel(command, stdin, timeout, mayRetry, what);
  }

  /** Runs {@code command} in the long-lived remote shell, starting it first if needed. */
  private Raw execInRemoteSh(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    for (int attempt = 1; ; attempt++) {
      ClientSession s = session();
      RemoteSh sh;
      long deadline;
      try {
        // Starting the remote shell (a login, with the user's shell profile) is not the command's
        // time: its timeout starts once the shell is there.
        sh = remoteSh(System.nanoTime() + REMOTE_SHELL_START.toNanos());
        deadline = System.nanoTime() + timeout.toNanos();
        sh.send(RemoteSh.request(command, stdin, sh.token));
      } catch (IOException | IllegalStateException e) {
        dropRemoteSh();
        // sh runs a request only once it has read all of it: a failed send ran nothing.
        if (mayRetry && attempt == 1) {
          LOG.info("SSH connection to {} dropped ({}); reconnecting once", this, describe(e));
          continue;
        }
        throw new OperationFailedException("cannot start " + what + " on " + this + ": " + describe(e), e);
      }
      try {
        return sh.answer(deadline);
      } catch (RemoteSh.Timeout e) {
        dropRemoteSh();
        throw new OperationFailedException(what + " did not finish within " + timeout.toSeconds() + " s on " + this);
      } catch (IOException e) {
        dropRemoteSh();
        if (mayRetry && attempt == 1) {
          // The connection went away under a running command. run() promises only commands that are
          // safe to repeat, so run it once more on a fresh connection.
          LOG.info("SSH connection to {} dropped while running {}; reconnecting and running it again", this, what);
          discard(s);
          continue;
        }
        throw new OperationFailedException("the connection to " + this + " was lost while running " + what
            + "; it may or may not have finished", e);
      }
    }
  }

  private RemoteSh remoteSh(long deadline) throws IOException {
    if (remoteSh != null && remoteSh.isOpen()) {
      return remoteSh;
    }
    dropRemoteSh();
    remoteSh = RemoteSh.open(session(), deadline);
    return remoteSh;
  }

  private void dropRemoteSh() {
    if (remoteSh != null) {
      remoteSh.close();
      remoteSh = null;
    }
  }

  /** Runs {@code command} on an exec channel of its own (one login shell per command). */
  private Raw execChannel(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    for (int attempt = 1; ; attempt++) {
      ClientSession s = session();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ChannelExec channel = null;
      try {
        channel = s.createExecChannel(command);
        channel.setIn(new ByteArrayInputStream(stdin));
        channel.setOut(out);
        channel.setErr(err);
        channel.open().verify(CHANNEL_OPEN_TIMEOUT);
      } catch (IOException | IllegalStateException e) {
        if (channel != null) {
          channel.close(true);
        }
        // The command has not started, so running it on a fresh connection is safe.
        if (mayRetry && attempt == 1) {
          LOG.info("SSH connection to {} dropped ({}); reconnecting once", this, describe(e));
          discard(s);
          continue;
        }
        throw new OperationFailedException("cannot start " + what + " on " + this + ": "
            + describe(e), e);
      }
      try {
        Set<ClientChannelEvent> events =
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        if (events.contains(ClientChannelEvent.TIMEOUT)) {
          throw new OperationFailedException(what + " did not finish within "
              + timeout.toSeconds() + " s on " + this);
        }
        if (channel.getExitStatus() == null && channel.getExitSignal() == null && mayRetry && attempt == 1) {
          // The connection went away under a running command. run() promises only commands that are
          // safe to repeat (reads, idempotent changes), so run it once more on a fresh connection.
          LOG.info("SSH connection to {} dropped while running {}; reconnecting and running it again", this, what);
          discard(s);
          continue;
        }
        return new Raw(exitCode(channel, what), out.toByteArray(), err.toByteArray());
      } finally {
        channel.close(true);
      }
    }
  }

  private int exitCode(ChannelExec channel, String what) {
    Integer status = channel.getExitStatus();
    if (status != null) {
      return status;
    }
    String signal = channel.getExitSignal();
    if (signal != null) {
      // As a local shell reports it: 128 + the signal number.
      return 128 + switch (signal) {
        case "HUP" -> 1;
        case "INT" -> 2;
        case "QUIT" -> 3;
        case "ABRT" -> 6;
        case "KILL" -> 9;
        case "SEGV" -> 11;
        case "PIPE" -> 13;
        case "TERM" -> 15;
        default -> 0;
      };
    }
    throw new OperationFailedException("the connection to " + this + " was lost while running "
        + what + "; it may or may not have finished");
  }

  private static CommandResult text(Raw r) {
    return new CommandResult(r.exitCode, new String(r.stdout, StandardCharsets.UTF_8),
        new String(r.stderr, StandardCharsets.UTF_8));
  }

  private static String stderrOrExit(Raw r) {
    String err = new String(r.stderr, StandardCharsets.UTF_8).strip();
    return err.isEmpty() ? "exit code " + r.exitCode : err;
  }

  private static String name(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    return argv.get(0);
  }

  // ---- connection ----

  private ClientSession session() {
    synchronized (lock) {
      if (closed) {
        throw new OperationFailedException("the SSH connection to " + this + " is closed");
      }
      if (session != null && session.isOpen()) {
        return session;
      }
      if (session != null) {
        LOG.info("SSH connection to {} was lost; reconnecting", this);
        session.close(true);
        session = null;
      }
      ClientSession s = connect();
      session = s;
      sessionsOpened++;
      for (Forward f : forwards) {
        f.restart(s);
      }
      return s;
    }
  }

  private void discard(ClientSession s) {
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
      s.auth().verify(AUTH_TIMEOUT);
      LOG.debug("connected to {}", this);
      return s;
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close(true);
      }
      String refusal = hostKeyRefusal;
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

  private SshClient startClient() {
    SshClient c = SshClient.setUpDefaultClient();
    c.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, CONNECT_TIMEOUT);
    CoreModuleProperties.AUTH_TIMEOUT.set(c, AUTH_TIMEOUT);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, HEARTBEAT_INTERVAL);
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, HEARTBEAT_MAX_MISSED);
    c.setServerKeyVerifier(serverKeyVerifier());
    Path sshConfig = localHome.resolve(".ssh").resolve("config");
    c.setHostConfigEntryResolver(Files.isRegularFile(sshConfig)
        ? new DefaultConfigFileHostEntryResolver(sshConfig, true)
        : HostConfigEntryResolver.EMPTY);
    c.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(loadKeys()));
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

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }

  /** One local port forward; restarted on the same local port when the connection is reopened. */
  private final class Forward {
    final String host;
    final int port;
    int localPort;
    SshdSocketAddress bound;

    Forward(String host, int port, int localPort) {
      this.host = host;
      this.port = port;
      this.localPort = localPort;
    }

    void start(ClientSession s) {
      try {
        bound = s.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", localPort),
            new SshdSocketAddress(host, port));
        localPort = bound.getPort();
      } catch (IOException e) {
        throw new OperationFailedException("cannot forward 127.0.0.1:" + localPort + " to "
            + host + ":" + port + " through " + SshShell.this + ": " + describe(e), e);
      }
    }

    void restart(ClientSession s) {
      try {
        start(s);
      } catch (OperationFailedException e) {
        LOG.warn("{}", e.getMessage());
      }
    }

    void stop(ClientSession s) {
      if (bound != null && s.isOpen()) {
        try {
          s.stopLocalPortForwarding(bound);
        } catch (IOException e) {
          LOG.debug("stopping forward {}: {}", bound, describe(e));
        }
      }
      bound = null;
    }
  }
}
