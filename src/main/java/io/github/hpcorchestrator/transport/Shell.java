package io.github.hpcorchestrator.transport;

import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs commands and moves files on the side where the scheduler lives: this machine, or a login
 * node over SSH. Commands are argv lists; quoting for a remote shell happens inside the
 * implementation, in one place.
 */
public interface Shell extends Closeable {

  /**
   * Runs {@code argv} to completion (or until {@code timeout}) and captures its output. The
   * command must be safe to run twice (a read, or an idempotent change): a remote implementation
   * may retry it once when its connection dropped before or while it ran. Use {@link #runOnce}
   * for anything else.
   */
  CommandResult run(List<String> argv, Duration timeout);

  /**
   * Runs {@code argv} like {@link #run}, but never retries it: for commands that must not run
   * twice (sbatch, scancel of a reused id).
   */
  default CommandResult runOnce(List<String> argv, Duration timeout) {
    return run(argv, timeout);
  }

  /** Writes {@code content} to {@code path} on the shell's side atomically, creating parent folders. */
  void writeFile(String path, byte[] content, int mode);

  /** Reads a file on the shell's side; empty array if it does not exist. */
  byte[] readFile(String path);

  /**
   * Returns an address on this machine through which {@code host:port}, as the shell's side
   * resolves it, can be reached; the address stays valid until this shell is closed.
   */
  InetSocketAddress reach(String host, int port);

  /**
   * Forwards 127.0.0.1:{@code localPort} (0: any free port) to {@code host:port} as the shell's
   * side resolves it until the tunnel or the shell is closed; empty when this machine reaches
   * {@code host:port} directly and no tunnel is needed.
   */
  default Optional<SshTunnel> holdTunnel(String host, int port, int localPort) {
    // A remote shell that cannot forward must say so, not pretend no tunnel is needed.
    if (isLocal()) {
      return Optional.empty();
    }
    throw new UnsupportedOperationException(this + " cannot forward ports");
  }

  /** Whether commands run on this machine (no tunnels needed). */
  boolean isLocal();

  @Override
  void close();

  /** Timeout for short housekeeping commands (squeue, kill, mkdir). */
  Duration SHORT_TIMEOUT = Duration.ofSeconds(60);

  /** Home directory on the shell's side, used to expand a leading "~" or "$HOME". */
  Path home();
}
