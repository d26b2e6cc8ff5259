package io.github.hpcorchestrator;

/** A failure the CLI reports as one line with an exit code, never as a stack trace. */
public class OrchestratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public OrchestratorException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public OrchestratorException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** 1 for runtime failures, 2 for usage or input errors. */
  public int exitCode() {
    return exitCode;
  }
}
