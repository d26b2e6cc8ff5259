package io.github.hpcorchestrator.testbed;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The one way tests wait: poll a condition until it holds or a deadline passes (never a fixed sleep). */
public final class Await {
  // Short enough that a test does not idle long after the condition holds, long enough not to spin.
  private static final long POLL_MILLIS = 100;

  private Await() {}

  /** Polls {@code probe} until it yields a value and returns it; fails naming {@code what} after {@code deadline}. */
  public static <T> T value(String what, Duration deadline, Supplier<Optional<T>> probe) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
      }
      pause(what);
    }
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code deadline}. */
  public static void until(String what, Duration deadline, BooleanSupplier condition) {
    value(what, deadline, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  /** Polls {@code probe} until {@code done} accepts its value and returns it; the failure shows the last value seen. */
  public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      T last = probe.get();
      if (done.test(last)) {
        return last;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what
            + "; last: " + last);
      }
      pause(what);
    }
  }

  private static void pause(String what) {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }
}
