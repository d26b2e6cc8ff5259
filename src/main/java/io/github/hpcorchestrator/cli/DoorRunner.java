package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.CliRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** The CLI as a connection holder runs it for a call through a door (found by ServiceLoader). */
public final class DoorRunner implements CliRunner {
  /** For ServiceLoader. */
  public DoorRunner() {}

  @Override
  public Optional<Path> heldStateDir(Path absConfig) {
    OrchestratorConfig config = new ConfigLoader().load(absConfig);
    return Doorkeeper.held(config) ? Optional.of(config.stateDir()) : Optional.empty();
  }

  @Override
  public int run(PrintWriter out, PrintWriter err, String... args) {
    return Main.run(out, err, args);
  }

  @Override
  public void warmUp() {
    // The command line's model and parser: picocli's classes are Java 5 class files, which no
    // class-data archive holds, so a holder's first call would load and verify them.
    PrintWriter none = new PrintWriter(java.io.OutputStream.nullOutputStream());
    Main.run(none, none, "--version");
  }
}
