package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.SshShell;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A holder's start up to its login, the same in a holder JVM of its own and in a call that stays on
 * as the holder: the lock of its folder (one holder per state_dir), this process recorded as soon as
 * the lock is ours, then the login; it remembers when each step ended for the holder's log line.
 * The lock is held until {@link #close}.
 */
final class HolderStart implements AutoCloseable {
  private final HolderFolder folder;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final long beganAt;
  private final long lockedAt;
  private long setUpAt;
  private long loggedInAt;

  private HolderStart(HolderFolder folder, FileChannel lockFile, FileLock lock, long beganAt) {
    this.folder = folder;
    this.lockFile = lockFile;
    this.lock = lock;
    this.beganAt = beganAt;
    this.lockedAt = System.currentTimeMillis();
  }

  /**
   * Takes the lock of {@code folder} and records this process there; empty when another holder (in
   * this JVM or another) has the lock. {@code beganAt}: when this holder's own work began (epoch ms).
   *
   * @throws IOException when the lock file cannot be opened
   * @throws OperationFailedException when the record cannot be written
   */
  static Optional<HolderStart> lock(HolderFolder folder, long beganAt) throws IOException {
    FileChannel channel = FileChannel.open(folder.lock(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    try {
      // Written as soon as the lock is ours: calls starting meanwhile wait for this holder instead
      // of starting one each, and a later call can prove a hung holder is this process.
      Optional<HolderProcess> me = HolderProcess.current();
      if (me.isPresent()) {
        me.get().write(folder.process());
      }
      Files.deleteIfExists(folder.prompt()); // a prompt of a holder killed while it asked
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return Optional.of(new HolderStart(folder, channel, lock, beganAt));
  }

  /**
   * Logs {@code shell} in (keys, host key, second factor): empty when that worked, else why not, in
   * one line, which goes to {@code log} and is left in the folder for the calls waiting for this
   * holder; a holder that cannot log in withdraws its process record, so that they stop waiting.
   */
  Optional<LoginFailure> login(SshShell shell, PrintStream log) {
    Optional<LoginFailure> refused;
    try {
      shell.prepare();
      setUpAt = System.currentTimeMillis();
      shell.connect();
      loggedInAt = System.currentTimeMillis();
      refused = Optional.empty();
    } catch (InputException e) {
      refused = Optional.of(new LoginFailure(true, e.getMessage()));
    } catch (RuntimeException e) {
      refused = Optional.of(new LoginFailure(false, String.valueOf(e.getMessage())));
    }
    try {
      if (refused.isPresent()) {
        // Logged first: a waiting call ends as soon as the line below is there, and its user may read the log.
        log.println("holder ends: " + refused.get().message());
        refused.get().write(folder.loginFailure());
        withdraw();
      } else {
        Files.deleteIfExists(folder.loginFailure());
      }
    } catch (IOException | RuntimeException e) {
      // Only a waiting call's message lost: it times out instead, or tries a login of its own.
    }
    return refused;
  }

  /** Removes the process record while it is this process's (not a successor's). */
  void withdraw() throws IOException {
    Optional<HolderProcess> recorded = HolderProcess.read(folder.process());
    if (recorded.isPresent() && recorded.get().pid() == ProcessHandle.current().pid()) {
      Files.deleteIfExists(folder.process());
    }
  }

  /** Where the start's time went, up to {@code listeningAt} (epoch ms), in words for the holder's log. */
  String describe(long listeningAt) {
    return "lock and record " + (lockedAt - beganAt) + " ms, SSH client set-up " + (setUpAt - lockedAt)
        + " ms, connect, key exchange and login " + (loggedInAt - setUpAt) + " ms, to listening "
        + (listeningAt - loggedInAt) + " ms";
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockFile.close();
    }
  }
}
