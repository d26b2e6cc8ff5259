package io.github.hpcorchestrator.transport;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shell command lines over one {@link SshConnection}: in its long-lived {@link RemoteSh}
 * when that is free, else on an exec channel of their own; a dropped connection is reopened once,
 * running the command again only when the caller said it may.
 */
final class SshCommands {
  private static final Logger LOG = LoggerFactory.getLogger(SshCommands.class);
  private static final Duration CHANNEL_OPEN_TIMEOUT = Duration.ofSeconds(30);

  private final SshConnection connection;
  /** Held while a command runs in {@link #remoteSh}; a second thread uses an exec channel. */
  private final ReentrantLock remoteShBusy = new ReentrantLock();
  private RemoteSh remoteSh; // guarded by remoteShBusy
  /** Counted down when a start of the remote shell ahead of any command ends; null when none runs. */
  private volatile CountDownLatch starting;

  SshCommands(SshConnection connection) {
    this.connection = connection;
  }

  /** Ends the remote shell unless a command is running in it (that one ends with the session). */
  void close() {
    if (remoteShBusy.tryLock()) {
      try {
        dropRemoteSh();
      } finally {
        remoteShBusy.unlock();
      }
    }
  }

  /** How long starting the long-lived remote shell may take. */
  private static final Duration REMOTE_SHELL_START = Duration.ofSeconds(60);

  /**
   * Starts the long-lived remote shell now, ahead of any command, so the first one finds it running;
   * a command arriving meanwhile waits for it instead of opening a login shell of its own. A shell
   * that does not start is left for the first command to meet (and report).
   */
  void startRemoteSh() {
    CountDownLatch done = new CountDownLatch(1);
    remoteShBusy.lock();
    starting = done;
    try {
      remoteSh(System.nanoTime() + REMOTE_SHELL_START.toNanos());
    } catch (IOException | RuntimeException e) {
      dropRemoteSh();
      LOG.debug("the remote shell did not start ahead of the first command: {}", SshConnection.describe(e));
    } finally {
      starting = null;
      // Unlocked before the waiting commands wake, or their tryLock finds it still held and they
      // take an exec channel of their own.
      remoteShBusy.unlock();
      done.countDown();
    }
  }

  /** Runs {@code command} with {@code stdin}; {@code what} names it in messages. */
  RawResult exec(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    awaitStart();
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
  private RawResult execInRemoteSh(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    for (int attempt = 1; ; attempt++) {
      ClientSession s = connection.session();
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
          LOG.info("SSH connection to {} dropped ({}); reconnecting once", connection, SshConnection.describe(e));
          continue;
        }
        throw new OperationFailedException("cannot start " + what + " on " + connection + ": " + SshConnection.describe(e), e);
      }
      try {
        return sh.answer(deadline);
      } catch (RemoteSh.Timeout e) {
        dropRemoteSh();
        throw new OperationFailedException(what + " did not finish within " + timeout.toSeconds() + " s on " + connection);
      } catch (IOException e) {
        dropRemoteSh();
        if (mayRetry && attempt == 1) {
          // The connection went away under a running command. run() promises only commands that are
          // safe to repeat, so run it once more on a fresh connection.
          LOG.info("SSH connection to {} dropped while running {}; reconnecting and running it again", connection, what);
          connection.discard(s);
          continue;
        }
        throw new OperationFailedException("the connection to " + connection + " was lost while running " + what
            + "; it may or may not have finished", e);
      }
    }
  }

  /** Whether a start that {@link #startRemoteSh} runs is under way (tests). */
  boolean startingForTest() {
    return starting != null;
  }

  /** Waits (bounded by the shell's own start time) for a start that {@link #startRemoteSh} runs. */
  private void awaitStart() {
    CountDownLatch s = starting;
    if (s == null) {
      return;
    }
    try {
      s.await(REMOTE_SHELL_START.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private RemoteSh remoteSh(long deadline) throws IOException {
    if (remoteSh != null && remoteSh.isOpen()) {
      return remoteSh;
    }
    dropRemoteSh();
    remoteSh = RemoteSh.open(connection.session(), deadline);
    return remoteSh;
  }

  private void dropRemoteSh() {
    if (remoteSh != null) {
      remoteSh.close();
      remoteSh = null;
    }
  }

  /** Runs {@code command} on an exec channel of its own (one login shell per command). */
  private RawResult execChannel(String command, byte[] stdin, Duration timeout, boolean mayRetry, String what) {
    for (int attempt = 1; ; attempt++) {
      ClientSession s = connection.session();
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
          LOG.info("SSH connection to {} dropped ({}); reconnecting once", connection, SshConnection.describe(e));
          connection.discard(s);
          continue;
        }
        throw new OperationFailedException("cannot start " + what + " on " + connection + ": "
            + SshConnection.describe(e), e);
      }
      try {
        Set<ClientChannelEvent> events =
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
        if (events.contains(ClientChannelEvent.TIMEOUT)) {
          throw new OperationFailedException(what + " did not finish within "
              + timeout.toSeconds() + " s on " + connection);
        }
        if (channel.getExitStatus() == null && channel.getExitSignal() == null && mayRetry && attempt == 1) {
          // The connection went away under a running command. run() promises only commands that are
          // safe to repeat (reads, idempotent changes), so run it once more on a fresh connection.
          LOG.info("SSH connection to {} dropped while running {}; reconnecting and running it again", connection, what);
          connection.discard(s);
          continue;
        }
        return new RawResult(exitCode(channel, what), out.toByteArray(), err.toByteArray());
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
    throw new OperationFailedException("the connection to " + connection + " was lost while running "
        + what + "; it may or may not have finished");
  }
}
