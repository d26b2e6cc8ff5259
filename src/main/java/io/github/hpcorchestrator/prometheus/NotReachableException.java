package io.github.hpcorchestrator.prometheus;

import io.github.hpcorchestrator.OperationFailedException;

/**
 * A Prometheus that gave no complete answer: refused, timed out or past the request deadline.
 * Callers may skip further requests to it, which would only wait as long again.
 */
public final class NotReachableException extends OperationFailedException {
  private static final long serialVersionUID = 1L;

  NotReachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
