package io.github.hpcorchestrator.testbed;

import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * What a test needs before it can run: skipped on a developer's machine that lacks it, but a
 * failure in CI ({@code CI=true}), where a skipped test would leave the run green untested.
 */
public final class Needs {
  private Needs() {}

  /** Returns when {@code met}; otherwise skips the test, or fails it under CI, saying {@code why}. */
  public static void that(boolean met, String why) {
    that(met, why, System.getenv());
  }

  /** Like {@link #that(boolean, String)} under {@code environment} instead of this process's. */
  static void that(boolean met, String why, Map<String, String> environment) {
    if (met) {
      return;
    }
    if ("true".equalsIgnoreCase(environment.get("CI"))) {
      Assertions.fail("cannot run under CI=true: " + why);
    }
    throw new TestAbortedException("skipped: " + why);
  }
}
