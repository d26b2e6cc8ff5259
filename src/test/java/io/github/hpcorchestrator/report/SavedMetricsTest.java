package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.ResultType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedMetricsTest {

  @Test
  void roundTripGivesBackTheSameAnswersAndWindow(@TempDir Path dir) {
    Map<String, QueryResult> answers = ReportFixtures.answers();
    ReportWindow window = new ReportWindow(ReportFixtures.START.plusMillis(250), ReportFixtures.END,
        Duration.ofMillis(15_500));
    Path file = dir.resolve("session_1_metrics.json");

    SavedMetricsWriter.write(file, window, answers);
    SavedMetrics saved = SavedMetrics.read(file);

    assertThat(saved.window()).isEqualTo(window);
    assertThat(saved.queries()).containsExactlyInAnyOrderElementsOf(answers.keySet());
    answers.forEach((promql, result) -> {
      QueryResult back = saved.queryRange(promql, window.start(), window.end(), window.step());
      assertThat(back.resultType()).isEqualTo(ResultType.MATRIX);
      assertThat(back.series()).isEqualTo(result.series());
    });
  }

  @Test
  void aReportBuiltFromSavedMetricsEqualsTheLiveOne(@TempDir Path dir) {
    Path file = dir.resolve("saved.json");
    SavedMetricsWriter.write(file, ReportFixtures.WINDOW, ReportFixtures.answers());
    SavedMetrics saved = SavedMetrics.read(file);

    ReportData rebuilt = new ReportCollector(saved, ReportFixtures.CLOCK)
        .collect("prometheus_0a1b2c3d", ReportFixtures.STATUS, ReportFixtures.targets(), saved.window());

    assertThat(rebuilt).isEqualTo(ReportFixtures.data());
  }

  @Test
  void aQueryThatWasNotSavedIsEmpty() {
    SavedMetrics saved = new SavedMetrics(ReportFixtures.WINDOW, Map.of());

    QueryResult result = saved.queryRange("probe_success", Instant.EPOCH, Instant.EPOCH, Duration.ofSeconds(1));

    assertThat(result.resultType()).isEqualTo(ResultType.MATRIX);
    assertThat(result.isEmpty()).isTrue();
  }

  @Test
  void badFilesSayWhatIsWrongAndWhere(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");

    Files.writeString(file, "{\"window\": {\"start\": 1, \"end\": 2, \"step_s\": 0}, \"queries\": {}}");
    assertThatThrownBy(() -> SavedMetrics.read(file)).isInstanceOf(InputException.class)
        .hasMessage(file + ": window.step_s: must be positive, got 0");

    Files.writeString(file, "{\"window\": {\"start\": 1, \"end\": \"x\", \"step_s\": 1}, \"queries\": {}}");
    assertThatThrownBy(() -> SavedMetrics.read(file)).isInstanceOf(InputException.class)
        .hasMessage(file + ": window.end: expected a number of seconds, got \"x\"");

    Files.writeString(file, "{\"window\": {\"start\": 1, \"end\": 2, \"step_s\": 1}, \"queries\": {\"up\": "
        + "{\"status\": \"success\", \"data\": {\"resultType\": \"tensor\"}}}}");
    assertThatThrownBy(() -> SavedMetrics.read(file)).isInstanceOf(InputException.class)
        .hasMessage(file + ": queries.up: Prometheus sent an unexpected query result: unknown resultType \"tensor\"");

    Files.writeString(file, "{\"window\": ");
    assertThatThrownBy(() -> SavedMetrics.read(file)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(file + ":1: not JSON:");

    assertThatThrownBy(() -> SavedMetrics.read(dir.resolve("missing.json"))).isInstanceOf(InputException.class)
        .hasMessageStartingWith("cannot read saved metrics " + dir.resolve("missing.json") + ": NoSuchFileException");
  }
}
