package io.github.hpcorchestrator.connection;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a connection holder needs of the CLI to serve a call through a door: found with
 * {@link java.util.ServiceLoader}, so this package does not import the CLI.
 */
public interface CliRunner {
  /** The state_dir of {@code absConfig} if it is the SLURM backend over SSH with a held connection. */
  Optional<Path> heldStateDir(Path absConfig);

  /** Runs the CLI with {@code args}, writing to {@code out} and {@code err}; returns the exit code. */
  int run(PrintWriter out, PrintWriter err, String... args);

  /**
   * Loads and runs once what every call needs, doing nothing a user would see, so the first call is
   * quick; whether every step of it ran (exit code 0).
   */
  boolean warmUp();
}
