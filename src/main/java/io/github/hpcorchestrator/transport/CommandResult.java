package io.github.hpcorchestrator.transport;

/** What a finished command left: its exit code and its captured output. */
public record CommandResult(int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }
}
