package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.transport.SshShell;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The connection holder as a detached JVM of its own, started by a call ({@link HolderLaunch}):
 * logs in once, then serves ({@link Holder}) until idle for its time or stopped. Its arguments are
 * a {@link HolderSpec}'s; its output goes to the folder's log.
 */
public final class HolderMain {
  /** The system property in which a call tells its holder when it started it (epoch milliseconds). */
  static final String ASKED_AT = "orchestrator.holder.asked-at";

  /** The exit code of a holder that found another holding the lock of its folder. */
  static final int LOST_THE_LOCK = 3;

  private HolderMain() {}

  /** Runs a holder until it is idle for its time, stopped, or cannot log in (exit 1). */
  public static void main(String[] args) throws Exception {
    long mainAt = System.currentTimeMillis();
    HolderSpec spec;
    try {
      spec = HolderSpec.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("usage: HolderMain FOLDER IDLE_SECONDS HOST PORT USER|- KEY|- KNOWN_HOSTS CHECKING ("
          + e.getMessage() + ")");
      System.exit(2);
      return;
    }
    HolderFolder folder = spec.folder();
    try {
      Optional<HolderStart> locked = HolderStart.lock(folder, mainAt);
      if (locked.isEmpty()) {
        System.err.println("another holder runs for " + folder.dir() + "; ending");
        System.exit(LOST_THE_LOCK);
      }
      try (HolderStart start = locked.get();
          // A second factor is asked in the terminal of the call that started this holder.
          SshShell shell = new SshShell(spec.hpc(), Path.of(System.getProperty("user.home")), new PromptRelay(folder))) {
        // The login happens now, so a holder that cannot log in ends before it listens, saying why
        // to the calls waiting for it: they fail with that line instead of each trying again.
        if (start.login(shell, System.err).isPresent()) {
          System.exit(1);
        }
        // The remote shell starts at once, behind the listening socket made next: a cold --status
        // waits for it, a query does not.
        Thread remoteShell = new Thread(shell::startRemoteShell, "holder-remote-shell");
        remoteShell.setDaemon(true);
        remoteShell.start();
        Holder holder = new Holder(folder, spec.idle(), shell, System.err);
        holder.listen(at -> describe(start, mainAt, at));
        holder.warmUp();
        holder.serve();
      }
    } catch (RuntimeException e) {
      System.err.println("holder ends: " + e.getMessage());
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * Where a cold call's wait went, counted from when the call started this holder if it said (not
   * from the process's start instant: Linux gives that to the whole second of its boot time).
   */
  private static String describe(HolderStart start, long mainAt, long listeningAt) {
    String mine = start.describe(listeningAt);
    String from = Boolean.getBoolean(HolderLaunch.FROM_RECORD) ? "; started from its launch record" : "";
    return askedAt().map(a -> (listeningAt - a) + " ms after a call started it: JVM start "
        + (mainAt - a) + " ms, " + mine).orElse(mine) + from;
  }

  /** When the call that started this holder asked for it ({@link #ASKED_AT}, epoch ms), if it said. */
  private static Optional<Long> askedAt() {
    try {
      return Optional.ofNullable(System.getProperty(ASKED_AT)).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
