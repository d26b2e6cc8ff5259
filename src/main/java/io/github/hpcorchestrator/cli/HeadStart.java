package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Holders;
import java.nio.file.Path;

/**
 * Starts the connection holder a call will need as the call begins, so that the holder's JVM start
 * and login overlap the CLI's own start (parsing, config, state) instead of following it; the
 * call's connection then waits for that holder rather than starting a second one.
 */
public final class HeadStart {
  private HeadStart() {}

  /**
   * In a daemon thread: loads {@code configFile} and, when it is the SLURM backend over SSH with a
   * held connection, finds or starts its holder. Silent: a config that does not load is the call's
   * own to report.
   */
  public static void begin(Path configFile) {
    Thread t = new Thread(() -> {
      try {
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
  }
}
