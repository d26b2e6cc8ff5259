package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void formatsLikeSqueue() {
    assertThat(Durations.elapsed(Duration.ZERO)).isEqualTo("0:00");
    assertThat(Durations.elapsed(Duration.ofSeconds(7))).isEqualTo("0:07");
    assertThat(Durations.elapsed(Duration.ofSeconds(59))).isEqualTo("0:59");
    assertThat(Durations.elapsed(Duration.ofSeconds(61))).isEqualTo("1:01");
    assertThat(Durations.elapsed(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59:59");
    assertThat(Durations.elapsed(Duration.ofHours(1))).isEqualTo("1:00:00");
    assertThat(Durations.elapsed(Duration.ofHours(23).plusMinutes(5).plusSeconds(9))).isEqualTo("23:05:09");
    assertThat(Durations.elapsed(Duration.ofDays(1))).isEqualTo("1-00:00:00");
    assertThat(Durations.elapsed(Duration.ofDays(12).plusHours(3).plusMinutes(4).plusSeconds(5)))
        .isEqualTo("12-03:04:05");
  }

  @Test
  void dropsFractionsOfASecond() {
    assertThat(Durations.elapsed(Duration.ofMillis(1999))).isEqualTo("0:01");
  }

  @Test
  void negativeDurationsShowAsZero() {
    assertThat(Durations.elapsed(Duration.ofSeconds(-5))).isEqualTo("0:00");
  }
}
