package io.github.hpcorchestrator;

import java.nio.file.Path;

/** Bad user input (recipe, config, command line): exit code 2, nothing started. */
public class InputException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(2, message);
  }

  /**
   * An error located in a file, rendered as {@code file:line: key.path: message}.
   *
   * @param line 1-based line, or 0 when unknown
   * @param keyPath dotted key path such as {@code service.ports[0]}, or empty for the whole document
   */
  public static InputException at(Path file, int line, String keyPath, String message) {
    StringBuilder text = new StringBuilder(file.toString());
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (!keyPath.isEmpty()) {
      text.append(keyPath).append(": ");
    }
    return new InputException(text.append(message).toString());
  }
}
