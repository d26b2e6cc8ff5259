package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.OperationFailedException;

/**
 * A started service answers but cannot do its work (an Ollama whose model cannot be pulled): the
 * orchestrator stops it and keeps the message as the reason it failed.
 */
public final class NotServingException extends OperationFailedException {
  private static final long serialVersionUID = 1L;

  public NotServingException(String message) {
    super(message);
  }
}
