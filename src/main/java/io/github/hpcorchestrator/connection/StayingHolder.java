package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.transport.PromptSource;
import io.github.hpcorchestrator.transport.SshShell;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The connection holder in the JVM of the cold call that needs it. Instead of starting a holder
 * JVM and waiting for that one's start and login, the call logs in itself, on a thread of its own
 * beside its parsing, in its own terminal (a second factor included), and serves other calls from
 * the moment it is logged in; its own commands reach it like any call's. Once the call has its
 * answer, the launcher ({@code front.Detach}) gives the user's shell the exit code and this JVM goes
 * on as the holder until its idle time. Only a call whose launcher lets it stay on starts one.
 */
public final class StayingHolder {
  private final HolderSpec spec;
  private final CompletableFuture<Optional<HolderStart>> lock;
  private final PrintStream log;
  private final long calledAt;
  private final long beganAt;
  private final Thread thread;
  private final boolean shellAtLogin;
  private volatile Holder holder;
  /** Starts the long-lived remote shell once the call has its answer, where it was not started at login. */
  private volatile Thread remoteShell;

  private StayingHolder(HolderSpec spec, CompletableFuture<Optional<HolderStart>> lock, PrintStream log, long calledAt,
      long beganAt, boolean shellAtLogin) {
    this.spec = spec;
    this.shellAtLogin = shellAtLogin;
    this.lock = lock;
    this.log = log;
    this.calledAt = calledAt;
    this.beganAt = beganAt;
    this.thread = new Thread(this::run, "staying-holder");
    thread.setDaemon(true);
  }

  /**
   * Begins the holder the {@link LaunchRecord} of {@code absConfig} names in this JVM, if the record
   * holds and no holder runs or starts for its folder: the lock and the process record are taken
   * before this returns (so the call's own shell waits for this holder instead of starting one),
   * while a thread sets the SSH client up, then logs in once the lock is ours. {@code calledAt}:
   * when the call was started (epoch ms), if its launcher said. {@code shellAtLogin}: start the
   * remote shell as soon as it is logged in (the call runs commands there); otherwise once the call
   * has its answer, or when a command needs it first. Empty where any of it does not work; the call
   * then goes the usual way.
   */
  public static Optional<StayingHolder> fromRecord(Path doorsDir, Path absConfig, OptionalLong calledAt,
      boolean shellAtLogin) {
    long beganAt = System.currentTimeMillis();
    Optional<HolderSpec> spec = LaunchRecord.unheld(doorsDir, absConfig);
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    HolderFolder folder = spec.get().folder();
    CompletableFuture<Optional<HolderStart>> lock = new CompletableFuture<>();
    StayingHolder h;
    try {
      h = new StayingHolder(spec.get(), lock, appendTo(folder.log()), calledAt.orElse(beganAt), beganAt,
          shellAtLogin);
    } catch (IOException e) {
      return Optional.empty();
    }
    // MINA's client set-up (keys, algorithms) needs no lock: it runs beside taking it.
    h.thread.start();
    Optional<HolderStart> locked;
    try {
      locked = HolderStart.lock(folder, beganAt);
    } catch (IOException | RuntimeException e) {
      locked = Optional.empty();
    }
    lock.complete(locked);
    if (locked.isEmpty()) {
      h.log.close(); // its thread ends without a line: another holder runs
      return Optional.empty();
    }
    return Optional.of(h);
  }

  /** Whether this holder is logged in and listens: only then may the call stay on as it. */
  public boolean listening() {
    return holder != null;
  }

  /** The holder's log, where this JVM's output goes once the call has its answer. */
  public Path log() {
    return spec.folder().log();
  }

  /**
   * Goes on as the holder once the call is answered and this JVM detached from the call's terminal:
   * starts the remote shell where that waited for it and warms the CLI up for door calls, then
   * returns when the holder ends (idle time, --disconnect, its session or socket gone).
   */
  public void goOn() throws InterruptedException {
    Thread sh = remoteShell;
    if (sh != null) {
      sh.start();
    }
    Holder h = holder;
    if (h != null) {
      h.warmUp();
    }
    thread.join();
  }

  private void run() {
    try (SshShell shell = new SshShell(spec.hpc(), Path.of(System.getProperty("user.home")), PromptSource.terminal())) {
      try {
        shell.prepare();
      } catch (RuntimeException e) {
        // Said again by the login below, where it counts: after the lock, for the waiting calls.
      }
      long preparedAt = System.currentTimeMillis();
      Optional<HolderStart> locked = lock.join();
      if (locked.isEmpty()) {
        return; // another holder runs: the call goes to it
      }
      try (HolderStart s = locked.get()) {
        long lockedAt = System.currentTimeMillis();
        if (s.login(shell, log).isPresent()) {
          return;
        }
        long loggedInAt = System.currentTimeMillis();
        Thread sh = new Thread(shell::startRemoteShell, "holder-remote-shell");
        sh.setDaemon(true);
        if (shellAtLogin) {
          sh.start();
        } else {
          // A query needs no shell, and the login shell's start (on a login node that may be as
          // busy as this machine) would compete with it; goOn starts it for the calls to come.
          remoteShell = sh;
        }
        Holder h = new Holder(spec.folder(), spec.idle(), shell, log);
        h.listen(at -> (at - calledAt) + " ms after the call began: JVM start " + (beganAt - calledAt)
            + " ms, SSH client set-up " + (preparedAt - beganAt) + " ms beside lock and record, then "
            + (lockedAt - preparedAt) + " ms waiting for the lock, connect, key exchange and login "
            + (loggedInAt - lockedAt)
            + " ms, to listening " + (at - loggedInAt) + " ms; in the call's own JVM, which stays on as the holder");
        holder = h;
        h.serve();
      }
    } catch (IOException | RuntimeException e) {
      log.println("holder ends: " + e.getMessage());
    }
  }

  /** An owner-only log file, appended to, flushed line by line. */
  private static PrintStream appendTo(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // Appended to: the log of earlier holders stays.
    }
    return new PrintStream(new FileOutputStream(file.toFile(), true), true);
  }
}
