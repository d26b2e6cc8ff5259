package io.github.hpcorchestrator.testbed;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A test that cannot run skips on a developer's machine and fails in CI. */
class NeedsTest {
  @Test
  void metNeedPasses() {
    assertThatCode(() -> Needs.that(true, "x", Map.of("CI", "true"))).doesNotThrowAnyException();
  }

  @Test
  void unmetNeedSkipsOutsideCi() {
    assertThatThrownBy(() -> Needs.that(false, "no root", Map.of())).isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("no root");
  }

  @Test
  void unmetNeedFailsUnderCi() {
    assertThatThrownBy(() -> Needs.that(false, "no root", Map.of("CI", "true")))
        .isInstanceOf(AssertionFailedError.class).hasMessage("cannot run under CI=true: no root");
  }
}
