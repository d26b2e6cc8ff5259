package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.HolderFolder;
import java.nio.file.Path;

/** Makes the door of a config file whose calls a connection holder can serve (see front.FrontMain). */
final class Doorkeeper {
  private Doorkeeper() {}

  /** Whether {@code config} is the SLURM backend over SSH with a held connection. */
  static boolean held(OrchestratorConfig config) {
    return config.backend() == OrchestratorConfig.Backend.SLURM
        && config.hpc().map(h -> !h.persist().isZero()).orElse(false);
  }

  /**
   * Points the door of {@code file} at the holder socket of {@code config}'s state_dir. Made even
   * before that holder runs (this call may start it): a front-end finding no socket behind it
   * removes the door and takes the full path, which makes it again.
   */
  static void open(Path file, OrchestratorConfig config) {
    if (!held(config)) {
      return;
    }
    Path socket = HolderFolder.at(config.stateDir().toAbsolutePath()).socket();
    Doors.make(Doors.dir(System.getenv(), System.getProperty("user.home")), file.toAbsolutePath().normalize(), socket);
  }
}
