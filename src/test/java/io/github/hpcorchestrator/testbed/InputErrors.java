package io.github.hpcorchestrator.testbed;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The one check of a bad-input error: the user's own words, one exception, nothing chained under it. */
public final class InputErrors {
  private InputErrors() {}

  /** Asserts that {@code call} throws an {@link InputException} saying exactly {@code message}, with no cause. */
  public static void assertInputError(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(InputException.class).hasMessage(message).hasNoCause();
  }
}
