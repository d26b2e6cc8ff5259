package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Doors;
import io.github.hpcorchestrator.connection.HolderFolder;
import io.github.hpcorchestrator.connection.Holders;
import io.github.hpcorchestrator.connection.LaunchRecord;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Makes the door of a config file whose calls a connection holder can serve (see front.FrontMain). */
final class Doorkeeper {
  private Doorkeeper() {}

  /** Whether {@code config} is the SLURM backend over SSH with a held connection. */
  static boolean held(OrchestratorConfig config) {
    return config.backend() == OrchestratorConfig.Backend.SLURM
        && config.hpc().map(h -> !h.persist().isZero()).orElse(false);
  }

  /**
   * Points the door of {@code file} at the holder socket of {@code config}'s state_dir, and records
   * how its holder starts ({@link LaunchRecord}) when the file still holds {@code loaded}, the bytes
   * {@code config} was read from: whatever call first needs the cluster, the next cold call with
   * this file can be its holder. The door is made even before that holder runs (this call may start
   * it): a front-end finding no socket behind it removes the door and takes the full path, which
   * makes it again.
   */
  static void open(Path file, OrchestratorConfig config, Optional<byte[]> loaded) {
    if (!held(config)) {
      return;
    }
    Path absolute = file.toAbsolutePath().normalize();
    Path socket = HolderFolder.at(config.stateDir().toAbsolutePath()).socket();
    Doors.make(Doors.dir(System.getenv(), System.getProperty("user.home")), absolute, socket);
    Optional<byte[]> now = LaunchRecord.configBytes(file);
    if (loaded.isPresent() && now.isPresent() && Arrays.equals(loaded.get(), now.get())) {
      Holders.recordLaunch(absolute, loaded.get(), config.hpc().orElseThrow(), config.stateDir());
    }
  }
}
