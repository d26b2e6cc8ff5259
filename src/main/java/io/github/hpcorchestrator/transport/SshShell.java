package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs commands on a cluster's login node over one SSH connection ({@link SshConnection}), opened
 * on first use and reopened once when it dropped: {@link #run} then runs its command again (also
 * when the drop came while it ran, since run() commands are safe to repeat), {@link #runOnce}
 * fails with "may or may not have finished" instead. Files are written with {@code cat} into a
 * temporary sibling and renamed, so no SFTP subsystem is needed. Ports the login node can reach
 * are made reachable here through local port forwards ({@link SshForwards}).
 *
 * <p>Commands run in one long-lived remote {@code sh} per connection ({@link RemoteSh}, driven by
 * {@link SshCommands}): sshd starts every exec channel through the user's login shell, which reads
 * ~/.bashrc each time (on some login nodes seconds of {@code module} or {@code pyenv} setup), so
 * one channel per command paid that for every squeue. A command that arrives while that shell is
 * busy (another thread) gets an exec channel of its own, as before.
 */
public final class SshShell implements Shell {
  /** Exit status of the read script when the file does not exist (cat itself uses 1). */
  static final int NO_SUCH_FILE_EXIT = 44;

  private final SshConnection connection;
  private final SshCommands commands;
  private final SshForwards forwards;
  private volatile Path remoteHome;

  /** A shell for the login node {@code config} names; nothing is connected until first use. */
  public SshShell(HpcConfig config) {
    this(config, Path.of(System.getProperty("user.home")));
  }

  /** As {@link #SshShell(HpcConfig)}, with {@code localHome} for ~/.ssh (tests, a login rehearsal). */
  public SshShell(HpcConfig config, Path localHome) {
    this(config, localHome, TerminalPrompts.console());
  }

  /** As {@link #SshShell(HpcConfig, Path)}, answering second-factor prompts from {@code prompts}. */
  public SshShell(HpcConfig config, Path localHome, PromptSource prompts) {
    this.connection = new SshConnection(config, localHome, prompts);
    this.commands = new SshCommands(connection);
    this.forwards = new SshForwards(connection);
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    return text(commands.exec(ShellQuoting.join(argv), new byte[0], timeout, true, name(argv)));
  }

  /** Like {@link #run}, but a dropped connection fails the command instead of retrying it. */
  @Override
  public CommandResult runOnce(List<String> argv, Duration timeout) {
    return text(commands.exec(ShellQuoting.join(argv), new byte[0], timeout, false, name(argv)));
  }

  @Override
  public void writeFile(String path, byte[] content, int mode) {
    String target = expandHome(path);
    RawResult r = commands.exec(ShellQuoting.join(writeFileArgv(target, mode)), content,
        SHORT_TIMEOUT, true, "writing " + target);
    if (r.exitCode() != 0) {
      throw new OperationFailedException("cannot write " + target + " on " + this + ": "
          + stderrOrExit(r));
    }
  }

  @Override
  public byte[] readFile(String path) {
    String target = expandHome(path);
    RawResult r = commands.exec(ShellQuoting.join(readFileArgv(target)), new byte[0],
        SHORT_TIMEOUT, true, "reading " + target);
    if (r.exitCode() == NO_SUCH_FILE_EXIT) {
      return new byte[0];
    }
    if (r.exitCode() != 0) {
      throw new OperationFailedException("cannot read " + target + " on " + this + ": "
          + stderrOrExit(r));
    }
    return r.stdout();
  }

  /**
   * Forwards an ephemeral port on 127.0.0.1 to {@code host:port} as the login node resolves it;
   * the same forward is returned for the same host and port until the shell is closed.
   */
  @Override
  public InetSocketAddress reach(String host, int port) {
    return forwards.reach(host, port);
  }

  /**
   * Forwards 127.0.0.1:{@code localPort} to {@code host:port} as the login node resolves it,
   * until the returned tunnel or this shell is closed.
   */
  @Override
  public Optional<SshTunnel> holdTunnel(String host, int port, int localPort) {
    return Optional.of(forwards.hold(host, port, localPort));
  }

  /** Sets up the SSH client (keys read, host key checking, algorithms) without connecting. */
  public void prepare() {
    connection.prepare();
  }

  /** Logs in now unless a session is open: what a first command would do before it runs. */
  public void connect() {
    connection.session();
  }

  /** Starts the long-lived remote shell now, so the first command does not wait for the login shell. */
  public void startRemoteShell() {
    commands.startRemoteSh();
  }

  /** Whether an SSH session is open now (without connecting). */
  public boolean isConnected() {
    return connection.currentSession() != null;
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
      RawResult r = commands.exec(ShellQuoting.join(List.of("sh", "-c", "printf %s \"$HOME\"")),
          new byte[0], SHORT_TIMEOUT, true, "printf");
      String text = new String(r.stdout(), StandardCharsets.UTF_8);
      if (r.exitCode() != 0 || !text.startsWith("/")) {
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
    commands.close();
    forwards.closeAll();
    connection.close();
  }

  @Override
  public String toString() {
    return connection.toString();
  }

  /** How many SSH sessions this shell has opened (tests: one connection is reused). */
  int sessionsOpenedForTest() {
    return connection.sessionsOpened();
  }

  /** Whether {@link #startRemoteShell} is starting the remote shell now (tests). */
  boolean remoteShellStartingForTest() {
    return commands.startingForTest();
  }

  /** Closes the SSH session under this shell as a network failure would (tests). */
  void dropSessionForTest() {
    connection.dropSessionForTest();
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

  private static CommandResult text(RawResult r) {
    return new CommandResult(r.exitCode(), new String(r.stdout(), StandardCharsets.UTF_8),
        new String(r.stderr(), StandardCharsets.UTF_8));
  }

  private static String stderrOrExit(RawResult r) {
    String err = new String(r.stderr(), StandardCharsets.UTF_8).strip();
    return err.isEmpty() ? "exit code " + r.exitCode() : err;
  }

  private static String name(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    return argv.get(0);
  }
}
