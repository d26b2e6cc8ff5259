package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.transport.PromptSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finding, starting, stopping and describing the connection holder of a state_dir: what the CLI
 * calls for {@code --disconnect} and the {@code --status} line, and what {@link HeldShell} calls on
 * first use.
 */
public final class Holders {
  private static final Logger LOG = LoggerFactory.getLogger(Holders.class);
  /** A living holder answers a ping at once; one that does not within this is hung. */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(3);
  /** Connect plus authentication timeouts of the holder's login, and a JVM start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(50);
  /** A cold call waits for its holder's socket in steps of this: its share of a cold call's time. */
  private static final Duration POLL = Duration.ofMillis(10);
  /** Holders one call starts at most while it waits for one to answer. */
  private static final int MAX_STARTS = 3;

  private Holders() {}

  /**
   * The folder of a holder that answers a ping, starting one first if none does; empty: none usable.
   * A second factor the login of a holder this call starts asks for is answered from {@code prompts}.
   *
   * @throws OperationFailedException with the holder's line when the holder it waited for could not log in
   */
  static Optional<HolderFolder> startOrFind(HpcConfig hpc, Path stateDir, ScheduledExecutorService timer,
      PromptSource prompts) {
    HolderFolder folder;
    try {
      folder = HolderFolder.in(stateDir);
    } catch (OperationFailedException e) {
      LOG.warn("{}", e.getMessage());
      return Optional.empty();
    }
    if (ping(folder, timer)) {
      return Optional.of(folder);
    }
    if (Files.exists(folder.socket()) && !replaceHung(folder)) {
      return Optional.empty();
    }
    // No socket yet but a holder recorded and running: one that another call (or this one's head
    // start) started is logging in; waiting for it keeps the login count at one. Only when none is
    // does this call start one. (Not told by trying the lock: a probe that takes it, even for a
    // moment, makes a starting holder give up.) One that lost the lock to a holder not recorded
    // yet, or to a killed one whose lock outlived it for a moment, is started again.
    Process p = null;
    int starts = 0;
    // From this JVM's start (to the second, less one for Linux's rounding): a holder of this very
    // call that could not log in may have said so before the call came here.
    long since = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli() - 1000)
        .orElse(System.currentTimeMillis());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (ping(folder, timer)) {
        return Optional.of(folder);
      }
      if (Files.exists(folder.prompt())) {
        // A holder's login asks a second factor: the call that started it answers, from its terminal;
        // the others wait as long as that takes.
        if (p != null && (p.isAlive() || p.exitValue() == 0)) { // exit 0: its launcher saw it record itself
          PromptRelay.take(folder, prompts, timer);
        }
        deadline = Math.max(deadline, System.nanoTime() + START_TIMEOUT.toNanos());
      }
      if (isThisProcess(folder)) {
        // This call logs in itself (StayingHolder), a person perhaps answering its prompts; its
        // login's own timeouts bound the wait.
        deadline = Math.max(deadline, System.nanoTime() + START_TIMEOUT.toNanos());
      }
      if ((p == null || !p.isAlive()) && !recordedRunning(folder) && !(p == null && launcherRunning(folder))) {
        throwIfLoginFailed(folder, since);
        if (p != null && (p.exitValue() != HolderMain.LOST_THE_LOCK || starts >= MAX_STARTS)) {
          // Exit 0: it had recorded itself (its launcher's exit), then ended before it listened.
          LOG.info("the connection holder ended before it listened (exit code {}; see {})", p.exitValue(),
              folder.log());
          return Optional.empty();
        }
        try {
          p = start(folder, hpc);
          starts++;
        } catch (IOException e) {
          LOG.warn("cannot start a connection holder: {}", e.getMessage());
          return Optional.empty();
        }
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    LOG.info("the connection holder did not answer within {} s (see {})", START_TIMEOUT.toSeconds(), folder.log());
    return Optional.empty();
  }

  /**
   * Ends a holder whose socket is there but that did not answer a ping, if its folder's record
   * proves the process is the one that started there (pid and start time), and removes its socket;
   * whether a new holder may start (false: a holder we cannot prove ours may still hold the lock).
   */
  private static boolean replaceHung(HolderFolder folder) {
    Optional<HolderProcess> recorded = HolderProcess.read(folder.process());
    if (recorded.isEmpty() || !recorded.get().isRunning()) {
      // Dead (its socket stayed after a kill): nothing to end; the new holder rebinds the socket.
      return true;
    }
    HolderProcess hung = recorded.get();
    LOG.info("the connection holder {} in {} does not answer; ending it and starting a new one",
        hung.pid(), folder.dir());
    if (!hung.kill(PING_TIMEOUT)) {
      LOG.warn("the connection holder {} did not end; using a connection of this call's own", hung.pid());
      return false;
    }
    try {
      Files.deleteIfExists(folder.socket());
      Files.deleteIfExists(folder.process());
    } catch (IOException e) {
      LOG.warn("cannot remove the socket of the ended holder: {}", e.getMessage());
    }
    return true;
  }

  /**
   * Fails with the holder's own line when a holder this call waited for (one that ended after
   * {@code sinceMillis}) could not log in: another login would be refused the same way, and on
   * sites that lock an account after failed logins, every attempt counts.
   */
  private static void throwIfLoginFailed(HolderFolder folder, long sinceMillis) {
    Optional<LoginFailure> failed = LoginFailure.readIfSince(folder.loginFailure(), sinceMillis);
    if (failed.isPresent()) {
      throw failed.get().exception();
    }
  }

  /** Finds the holder of {@code stateDir}, starting one if none answers; whether one answers now. */
  public static boolean ensure(HpcConfig hpc, Path stateDir) {
    return withTimer(timer -> startOrFind(hpc, stateDir, timer, PromptSource.terminal())).isPresent();
  }

  /**
   * Records how to start the holder of {@code hpc} and {@code stateDir} for the config file
   * {@code absConfig} whose bytes were {@code config} ({@link LaunchRecord}), so that a later call
   * with the same file starts it before it has parsed the file.
   */
  public static void recordLaunch(Path absConfig, byte[] config, HpcConfig hpc, Path stateDir) {
    try {
      HolderFolder folder = HolderFolder.in(stateDir.toAbsolutePath());
      LaunchRecord.write(Doors.dir(System.getenv(), System.getProperty("user.home")), absConfig, config,
          System.getProperty("user.dir"), System.getProperty("user.home"), HolderSpec.of(folder, hpc).argv());
    } catch (OperationFailedException e) {
      LOG.debug("no launch record for {}: {}", absConfig, e.getMessage());
    }
  }

  /** Whether this JVM is the holder that serves {@code folder} (a CLI call it runs through a door). */
  private static boolean isThisProcess(HolderFolder folder) {
    return HolderProcess.read(folder.process()).map(h -> h.pid() == ProcessHandle.current().pid()).orElse(false);
  }

  /**
   * Whether another call's holder launcher runs: its holder's JVM is starting and has not recorded
   * itself yet, so starting one more would only lose the lock to it.
   */
  private static boolean launcherRunning(HolderFolder folder) {
    return HolderProcess.read(folder.starting()).map(HolderProcess::isRunning).orElse(false);
  }

  /** Whether the holder recorded in {@code folder} (it records itself once it holds the lock) runs. */
  private static boolean recordedRunning(HolderFolder folder) {
    return HolderProcess.read(folder.process()).map(HolderProcess::isRunning).orElse(false);
  }

  /** Starts a detached holder for {@code hpc} in {@code folder} ({@link HolderLaunch}). */
  private static Process start(HolderFolder folder, HpcConfig hpc) throws IOException {
    return HolderLaunch.start(folder, HolderSpec.of(folder, hpc).argv(), false);
  }

  private static boolean ping(HolderFolder folder, ScheduledExecutorService timer) {
    if (!Files.exists(folder.socket())) {
      return false;
    }
    try (HolderClient c = HolderClient.open(folder, PING_TIMEOUT, timer)) {
      c.out.writeInt(HolderProtocol.PING);
      c.send();
      c.expectOk();
      return true;
    } catch (IOException | HolderClient.Refused e) {
      return false;
    }
  }

  /**
   * Ends the holder of {@code stateDir} and waits (at most {@link #PING_TIMEOUT}) until its process
   * is gone, so that a call made next finds no holder ending; whether one was running.
   */
  public static boolean disconnect(Path stateDir) {
    return withTimer(timer -> {
      HolderFolder folder = HolderFolder.in(stateDir);
      if (!Files.exists(folder.socket())) {
        return false;
      }
      // (Not waited for when this JVM is the holder: a rehearsal's own.)
      Optional<HolderProcess> holder = HolderProcess.read(folder.process())
          .filter(h -> h.pid() != ProcessHandle.current().pid());
      try (HolderClient c = HolderClient.open(folder, PING_TIMEOUT, timer)) {
        c.out.writeInt(HolderProtocol.STOP);
        c.send();
        c.expectOk();
      } catch (IOException | HolderClient.Refused e) {
        return false;
      }
      holder.ifPresent(h -> h.awaitEnd(PING_TIMEOUT));
      return true;
    });
  }

  /** One line on the held connection of {@code stateDir}: whether one is up, since when, its pid. */
  public static String statusLine(Path stateDir) {
    return withTimer(timer -> {
      HolderFolder folder = HolderFolder.in(stateDir);
      if (Files.exists(folder.socket())) {
        try (HolderClient c = HolderClient.open(folder, PING_TIMEOUT, timer)) {
          c.out.writeInt(HolderProtocol.STATUS);
          c.send();
          c.expectOk();
          long pid = c.in.readLong();
          long started = c.in.readLong();
          // Asked from a call the holder runs through a door: that call is one of the active ones.
          int others = c.in.readInt() - (isThisProcess(folder) ? 1 : 0);
          long up = Math.max(0, (System.currentTimeMillis() - started) / 1000);
          return "held SSH connection: in use for " + up / 60 + " min " + up % 60 + " s (holder pid "
              + pid + (others > 0 ? ", " + others + " other calls now" : "") + ")";
        } catch (IOException | HolderClient.Refused e) {
          return "held SSH connection: none (a holder in " + folder.dir() + " does not answer)";
        }
      }
      return "held SSH connection: none";
    });
  }

  /** The pid of the holder of {@code stateDir} if one answers (tests). */
  static java.util.OptionalLong pid(Path stateDir) {
    return withTimer(timer -> {
      try (HolderClient c = HolderClient.open(HolderFolder.in(stateDir), PING_TIMEOUT, timer)) {
        c.out.writeInt(HolderProtocol.STATUS);
        c.send();
        c.expectOk();
        return java.util.OptionalLong.of(c.in.readLong());
      } catch (IOException | HolderClient.Refused e) {
        return java.util.OptionalLong.empty();
      }
    });
  }

  private interface WithTimer<T> {
    T apply(ScheduledExecutorService timer);
  }

  private static <T> T withTimer(WithTimer<T> body) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "holder-deadline");
      t.setDaemon(true);
      return t;
    });
    try {
      return body.apply(timer);
    } finally {
      timer.shutdownNow();
    }
  }
}
