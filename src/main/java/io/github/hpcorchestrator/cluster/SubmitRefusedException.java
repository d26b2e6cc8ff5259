package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.OperationFailedException;

/**
 * A submit that certainly started nothing (sbatch answered with a non-zero exit, or the job could
 * not even be prepared); any other failure of {@link Scheduler#submit} leaves its outcome unknown.
 */
public final class SubmitRefusedException extends OperationFailedException {
  private static final long serialVersionUID = 1L;

  public SubmitRefusedException(String message) {
    super(message);
  }

  public SubmitRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
