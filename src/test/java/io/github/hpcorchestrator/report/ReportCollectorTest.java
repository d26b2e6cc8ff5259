package io.github.hpcorchestrator.report;

import static io.github.hpcorchestrator.report.ReportFixtures.labels;
import static io.github.hpcorchestrator.report.ReportFixtures.matrix;
import static io.github.hpcorchestrator.report.ReportFixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportCollectorTest {

  @Test
  void availabilityIsTheFractionOfUpSamplesThatAreOne() {
    ReportData data = ReportFixtures.data();

    assertThat(data.targets())
        .extracting(ReportData.Target::job, ReportData.Target::instance, ReportData.Target::health,
            ReportData.Target::upSamples, ReportData.Target::samples, ReportData.Target::availability)
        .containsExactly(
            tuple("prometheus", "localhost:9090", TargetHealth.Health.UP, 100, 100, Optional.of(1.0)),
            tuple("node", "node1:9100", TargetHealth.Health.DOWN, 80, 100, Optional.of(0.8)));
    assertThat(data.targets().get(1).lastError()).isEqualTo("connection refused");
  }

  @Test
  void onlyExactlyOneCountsAsUp() {
    QueryResult up = matrix(series(labels("j", "i"), 6, i -> List.of("1", "0", "NaN", "1.0", "+Inf", "2").get(i)));

    List<ReportData.Target> rows = ReportCollector.targetRows(List.of(), up.series());

    assertThat(rows).singleElement().satisfies(t -> {
      assertThat(t.upSamples()).isEqualTo(2);
      assertThat(t.samples()).isEqualTo(6);
      assertThat(t.availability()).hasValue(2.0 / 6);
    });
  }

  @Test
  void targetsWithoutSamplesHaveNoAvailabilityAndUnlistedSeriesFollowSorted() {
    TargetHealth listed = new TargetHealth("svc", "h:1", "http://h:1/metrics", TargetHealth.Health.UNKNOWN,
        Optional.empty(), "", labels("svc", "h:1"));
    QueryResult up = matrix(
        series(Map.of("__name__", "up", "job", "zeta", "instance", "z:1"), 3, i -> "1"),
        series(Map.of("__name__", "up", "job", "alpha", "instance", "a:1", "team", "x"), 4, i -> i < 1 ? "1" : "0"));

    List<ReportData.Target> rows = ReportCollector.targetRows(List.of(listed), up.series());

    assertThat(rows).extracting(ReportData.Target::job, ReportData.Target::health, ReportData.Target::availability)
        .containsExactly(
            tuple("svc", TargetHealth.Health.UNKNOWN, Optional.empty()),
            tuple("alpha", TargetHealth.Health.UNKNOWN, Optional.of(0.25)),
            tuple("zeta", TargetHealth.Health.UNKNOWN, Optional.of(1.0)));
    assertThat(rows.get(1).labels()).containsExactly(
        Map.entry("instance", "a:1"), Map.entry("job", "alpha"), Map.entry("team", "x"));
  }

  @Test
  void runsEveryQueryOverTheChosenWindow() {
    List<String> asked = new ArrayList<>();
    List<Duration> steps = new ArrayList<>();
    RangeQueries fake = (promql, start, end, step) -> {
      asked.add(promql + " " + start + " " + end);
      steps.add(step);
      return matrix();
    };
    Instant start = Instant.parse("2025-03-04T12:00:00Z");

    ReportData data = new ReportCollector(fake, ReportFixtures.CLOCK)
        .collect("m", ReportFixtures.STATUS, List.of(), start, start.plus(Duration.ofHours(2)));

    assertThat(asked).containsExactly(
        "up 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z",
        "rate(process_cpu_seconds_total[1m]) 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z",
        "sum by (job, instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[1m]))"
            + " 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z",
        "process_resident_memory_bytes 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z",
        "scrape_duration_seconds 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z",
        "probe_success 2025-03-04T12:00:00Z 2025-03-04T14:00:00Z");
    assertThat(steps).containsOnly(Duration.ofSeconds(8));
    assertThat(data.window().points()).isEqualTo(901);
    assertThat(data.generatedAt()).isEqualTo(ReportFixtures.CLOCK.instant());
    assertThat(data.metrics()).extracting(m -> m.query().name())
        .containsExactly("up", "cpu", "node_cpu", "memory", "scrape_duration", "probe_success");
    assertThat(data.metrics()).allSatisfy(m -> assertThat(m.series()).isEmpty());
  }

  @Test
  void keepsEachMetricsSeries() {
    ReportData data = ReportFixtures.data();

    assertThat(data.metric("memory").orElseThrow().series()).hasSize(2)
        .allSatisfy(s -> assertThat(s.samples()).hasSize(100));
    assertThat(data.metric("probe_success").orElseThrow().series()).isEmpty();
    assertThat(data.metric("nonsense")).isEmpty();
  }

  @Test
  void recordingKeepsEveryAnswerForSaving() {
    Map<String, QueryResult> saved = new LinkedHashMap<>();
    RangeQueries recording = ReportFixtures.fake(ReportFixtures.answers()).recordingInto(saved);

    new ReportCollector(recording, ReportFixtures.CLOCK).collect("m", ReportFixtures.STATUS, List.of(),
        ReportFixtures.WINDOW);

    assertThat(saved.keySet()).containsExactlyElementsOf(
        ReportCollector.METRICS.stream().map(MetricQuery::promql).toList());
    assertThat(saved.get("up").series()).hasSize(2);
  }
}
