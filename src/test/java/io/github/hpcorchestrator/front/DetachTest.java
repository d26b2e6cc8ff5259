package io.github.hpcorchestrator.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The launcher's start time as bash's $EPOCHREALTIME writes it, in any locale. */
class DetachTest {
  @Test
  void epochRealtimeIsReadToTheMillisecondWithAPointOrAComma() {
    assertThat(Detach.calledAt("1764806400.123456")).isEqualTo(OptionalLong.of(1764806400123L));
    assertThat(Detach.calledAt("1764806400,5")).isEqualTo(OptionalLong.of(1764806400500L));
  }

  @Test
  void anythingElseIsNoTime() {
    assertThat(Detach.calledAt(null)).isEmpty();
    assertThat(Detach.calledAt("")).isEmpty();
    assertThat(Detach.calledAt("1764806400")).isEmpty();
    assertThat(Detach.calledAt("soon.123")).isEmpty();
  }
}
