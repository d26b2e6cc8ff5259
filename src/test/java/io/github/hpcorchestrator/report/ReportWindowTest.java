package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportWindowTest {
  private static final Instant T0 = Instant.parse("2025-03-04T12:00:00Z");

  @Test
  void shortWindowsUseOneSecond() {
    assertThat(ReportWindow.covering(T0, T0.plusSeconds(600)).step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ReportWindow.covering(T0, T0.plusSeconds(999)).step()).isEqualTo(Duration.ofSeconds(1));
    assertThat(ReportWindow.covering(T0, T0).step()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void longWindowsGetTheSmallestStepWithAtMostAThousandPoints() {
    ReportWindow hour = ReportWindow.covering(T0, T0.plusSeconds(3600));
    assertThat(hour.step()).isEqualTo(Duration.ofSeconds(4));
    assertThat(hour.points()).isEqualTo(901);

    ReportWindow exact = ReportWindow.covering(T0, T0.plusSeconds(999 * 2));
    assertThat(exact.step()).isEqualTo(Duration.ofSeconds(2));
    assertThat(exact.points()).isEqualTo(1000);

    ReportWindow justOver = ReportWindow.covering(T0, T0.plusSeconds(1000));
    assertThat(justOver.step()).isEqualTo(Duration.ofSeconds(2));
    assertThat(justOver.points()).isLessThanOrEqualTo(ReportWindow.MAX_POINTS);

    ReportWindow day = ReportWindow.covering(T0, T0.plus(Duration.ofDays(1)));
    assertThat(day.step()).isEqualTo(Duration.ofSeconds(87));
    assertThat(day.points()).isBetween(990L, 1000L);
  }

  @Test
  void aScrapeIntervalAboveTheFineStepBecomesTheStepAndTheGridStillEndsAtTheEnd() {
    ReportWindow session = ReportWindow.covering(T0, T0.plusSeconds(361), Duration.ofSeconds(5));
    assertThat(session.step()).isEqualTo(Duration.ofSeconds(5));
    assertThat(session.end()).isEqualTo(T0.plusSeconds(361));
    assertThat(session.start()).isEqualTo(T0.minusSeconds(4));
    assertThat(session.points()).isEqualTo(74);

    // Below the step a long window needs anyway, the interval changes nothing.
    ReportWindow day = ReportWindow.covering(T0, T0.plus(Duration.ofDays(1)), Duration.ofSeconds(5));
    assertThat(day).isEqualTo(ReportWindow.covering(T0, T0.plus(Duration.ofDays(1))));
  }

  @Test
  void rejectsBackwardsWindowsAndNonPositiveSteps() {
    assertThatThrownBy(() -> new ReportWindow(T0, T0.minusSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> new ReportWindow(T0, T0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step must be positive");
  }

  @Test
  void epochSecondsArePlainWithMillisecondPrecision() {
    assertThat(ReportWindow.epochSeconds(T0).toPlainString()).isEqualTo("1741089600");
    assertThat(ReportWindow.epochSeconds(T0.plusMillis(250)).toPlainString()).isEqualTo("1741089600.25");
    assertThat(ReportWindow.seconds(15_000).toPlainString()).isEqualTo("15");
  }
}
