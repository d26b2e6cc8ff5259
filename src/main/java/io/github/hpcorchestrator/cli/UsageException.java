package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.InputException;

/** A command line that names no action, or options that do not go together: exit 2, with a pointer to --help. */
final class UsageException extends InputException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
