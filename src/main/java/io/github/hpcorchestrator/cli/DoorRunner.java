package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.CliRunner;
import io.github.hpcorchestrator.files.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
  public boolean warmUp() {
    PrintWriter none = new PrintWriter(java.io.OutputStream.nullOutputStream());
    // The command line's model and parser: picocli's classes are Java 5 class files, which no
    // class-data archive holds, so a holder's first call would load and verify them.
    boolean ran = Main.run(none, none, "--version") == 0;
    // Config, state database, orchestrator and status on a throwaway local config: a holder's first
    // call through a door took ~140 ms in it without this, ~55 ms with. Nothing of the user's is read
    // or written, and nothing reaches the cluster.
    try {
      Path dir = Files.createTempDirectory("hpc-orchestrator-warm-up");
      try {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "backend: local\nstate_dir: " + dir.resolve("state") + "\nmetrics_dir: "
            + dir.resolve("metrics") + "\nrecipes_dir: " + dir.resolve("recipes") + "\n");
        ran &= Main.run(none, none, "--config", config.toString(), "--clear-state") == 0;
        ran &= Main.run(none, none, "--config", config.toString(), "--status", "--output", "json") == 0;
      } finally {
        FileTrees.remove(dir);
      }
    } catch (IOException e) {
      return false; // only a slower first call: no temporary folder here
    }
    return ran;
  }
}
