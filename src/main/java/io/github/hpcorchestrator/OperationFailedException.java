package io.github.hpcorchestrator;

/** A runtime failure (a service that would not start, an unreachable Prometheus): exit code 1. */
public class OperationFailedException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  public OperationFailedException(String message) {
    super(1, message);
  }

  public OperationFailedException(String message, Throwable cause) {
    super(1, message, cause);
  }
}
