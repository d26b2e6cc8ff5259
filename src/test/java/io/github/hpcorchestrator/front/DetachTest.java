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
    assertThat(Detach.calledAt(".123")).isEmpty();
    assertThat(Detach.calledAt("1764806400.")).isEmpty();
    assertThat(Detach.calledAt("1764806400.1.2")).isEmpty();
    assertThat(Detach.calledAt("1764806400.12,3")).isEmpty();
    assertThat(Detach.calledAt("1234567890123.5")).as("13 digits of seconds").isEmpty();
    assertThat(Detach.calledAt("1764806400.1234567890")).as("10 digits of fraction").isEmpty();
    assertThat(Detach.calledAt("-1.5")).isEmpty();
  }
}
