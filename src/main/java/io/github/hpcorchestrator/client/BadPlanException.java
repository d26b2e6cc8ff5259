package io.github.hpcorchestrator.client;

/** A client plan that cannot run; its message is one line naming the file, key path, expected and found. */
public final class BadPlanException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A bad value at {@code key} of {@code file}. */
  public BadPlanException(String file, String key, String expected, Object found) {
    super(file + ": " + key + ": expected " + expected + ", found " + found);
  }

  /** A plan problem already worded as one line. */
  public BadPlanException(String line) {
    super(line);
  }
}
