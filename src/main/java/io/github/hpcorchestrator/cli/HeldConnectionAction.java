package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.Holders;
import java.util.Optional;
import java.util.function.Consumer;

/** The CLI's part of the held SSH connection: {@code --disconnect} and the {@code --status} line. */
final class HeldConnectionAction {
  private HeldConnectionAction() {}

  /** Ends the held connection of {@code config}'s state_dir, saying whether there was one; exit 0. */
  static int disconnect(OrchestratorConfig config, Consumer<String> progress) {
    if (config.hpc().isEmpty()) {
      progress.accept("no SSH connection to end: hpc.hostname is not set");
      return 0;
    }
    progress.accept(Holders.disconnect(config.stateDir())
        ? "ended the held SSH connection" : "no held SSH connection was running");
    return 0;
  }

  /** The line --status adds about the held connection; empty without SSH. */
  static Optional<String> statusLine(OrchestratorConfig config) {
    if (config.hpc().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Holders.statusLine(config.stateDir()));
  }
}
