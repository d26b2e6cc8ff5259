package io.github.hpcorchestrator.testbed;

import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * What a test needs before it can run: skipped on a developer's machine that lacks it, but a
 * failure in CI ({@code CI=true}), where a skipped test would leave the run green untested.
 */
public final class Needs {
  private Needs() {}

  /** Whether this run is CI's: the environment variable {@code CI} is {@code true}. */
  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Returns when {@code met}; otherwise skips the test, or fails it under CI, saying {@code why}. */
  public static void that(boolean met, String why) {
    if (met) {
      return;
    }
    if (inCi()) {
      Assertions.fail("cannot run under CI=true: " + why);
    }
    throw new TestAbortedException("skipped: " + why);
  }
}
