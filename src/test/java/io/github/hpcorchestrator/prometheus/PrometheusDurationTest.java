package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusDurationTest {

  @Test
  void formatsLargestUnitsFirst() {
    assertThat(PrometheusDuration.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(PrometheusDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(PrometheusDuration.format(Duration.ofHours(26))).isEqualTo("1d2h");
    assertThat(PrometheusDuration.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
  }

  @Test
  void parsesWhatItFormats() {
    assertThat(PrometheusDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(PrometheusDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(PrometheusDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(PrometheusDuration.parse("1w")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void rejectsNonDurations() {
    assertThatThrownBy(() -> PrometheusDuration.parse("15")).hasMessageContaining("not a Prometheus duration");
    assertThatThrownBy(() -> PrometheusDuration.parse("")).hasMessageContaining("not a Prometheus duration");
    assertThatThrownBy(() -> PrometheusDuration.parse("0s")).hasMessageContaining("must not be zero");
    assertThatThrownBy(() -> PrometheusDuration.format(Duration.ZERO)).hasMessageContaining("positive");
  }
}
