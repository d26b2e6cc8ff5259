package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.Holders;
import io.github.hpcorchestrator.connection.LaunchRecord;
import io.github.hpcorchestrator.connection.StayingHolder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Starts the connection holder a call will need as the call begins, so that the holder's JVM start
 * and login overlap the CLI's own start (parsing, config, state) instead of following it; the
 * call's connection then waits for that holder rather than starting a second one.
 */
public final class HeadStart {
  private HeadStart() {}

  /**
   * When {@code mayStayOn} (the launcher lets this JVM go on after the call) and the {@link
   * LaunchRecord} of {@code configFile} holds: begins its holder in this JVM ({@link StayingHolder};
   * {@code calledAt}: when the launcher started the call; {@code shellAtLogin}: the call runs
   * commands in the remote shell, which then starts at login). Otherwise, in a daemon thread: starts the
   * holder its record names if that holds; else loads {@code configFile} and, when it is the SLURM
   * backend over SSH with a held connection, finds or starts its holder. Silent: a config that does
   * not load is the call's own to report.
   */
  public static Optional<StayingHolder> begin(Path configFile, boolean mayStayOn, OptionalLong calledAt,
      boolean shellAtLogin) {
    Path doors = Doors.dir(System.getenv(), System.getProperty("user.home"));
    if (mayStayOn) {
      Optional<StayingHolder> staying = StayingHolder.fromRecord(doors, configFile, calledAt, shellAtLogin);
      if (staying.isPresent()) {
        return staying;
      }
    }
    Thread t = new Thread(() -> {
      try {
        // The launch record of this very file, if it holds, starts the holder before any parsing;
        // the call's own shell then waits for that holder.
        if (LaunchRecord.startIfRecorded(doors, configFile)) {
          return;
        }
        // (The launch record for the next call is the call's own to write, as it loads the config: Doorkeeper.)
        OrchestratorConfig config = new ConfigLoader().load(configFile);
        if (Doorkeeper.held(config)) {
          Holders.ensure(config.hpc().orElseThrow(), config.stateDir());
        }
      } catch (RuntimeException e) {
        // Reported, if it matters, by the call itself, which loads the same file.
      }
    }, "holder-head-start");
    t.setDaemon(true);
    t.start();
    return Optional.empty();
  }
}
