package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.ResultType;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** Fake report inputs: two targets, 100 points each, made up but plausible. */
final class ReportFixtures {
  static final Instant START = Instant.parse("2025-03-04T12:00:00Z");
  static final Instant END = START.plusSeconds(99 * 15);
  static final ReportWindow WINDOW = new ReportWindow(START, END, Duration.ofSeconds(15));
  static final Clock CLOCK = Clock.fixed(END.plusSeconds(60), ZoneOffset.UTC);
  static final MonitorStatus STATUS = new MonitorStatus("prometheus_0a1b2c3d", "running", "4300",
      List.of("node1"), START.getEpochSecond() - 10, Optional.of((double) START.getEpochSecond()));

  private ReportFixtures() {}

  static Map<String, String> labels(String job, String instance) {
    return Map.of("job", job, "instance", instance);
  }

  static List<TargetHealth> targets() {
    return List.of(
        new TargetHealth("prometheus", "localhost:9090", "http://localhost:9090/metrics", TargetHealth.Health.UP,
            Optional.of(END), "", labels("prometheus", "localhost:9090")),
        new TargetHealth("node", "node1:9100", "http://node1:9100/metrics", TargetHealth.Health.DOWN,
            Optional.of(END), "connection refused", labels("node", "node1:9100")));
  }

  /** A series with a sample every 15 s from START; {@code value} gives sample i's text. */
  static Series series(Map<String, String> labels, int points, IntFunction<String> value) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < points; i++) {
      samples.add(new Sample(START.plusSeconds(15L * i), value.apply(i)));
    }
    return new Series(labels, samples);
  }

  static QueryResult matrix(Series... series) {
    return new QueryResult(ResultType.MATRIX, List.of(series), null);
  }

  /** Answers for every query of the report; node_cpu and probe_success have no samples. */
  static Map<String, QueryResult> answers() {
    Map<String, String> prom = labels("prometheus", "localhost:9090");
    Map<String, String> node = labels("node", "node1:9100");
    Map<String, QueryResult> answers = new HashMap<>();
    answers.put("up", matrix(
        series(with(prom, "__name__", "up"), 100, i -> "1"),
        series(with(node, "__name__", "up"), 100, i -> i >= 60 && i < 80 ? "0" : "1")));
    answers.put("rate(process_cpu_seconds_total[1m])", matrix(
        series(prom, 100, i -> String.valueOf(0.05 + 0.03 * Math.sin(i / 8.0))),
        series(node, 100, i -> String.valueOf(0.02 + 0.01 * Math.cos(i / 5.0)))));
    answers.put("process_resident_memory_bytes", matrix(
        series(with(prom, "__name__", "process_resident_memory_bytes"), 100, i -> String.valueOf(120_000_000L + i * 400_000L)),
        series(with(node, "__name__", "process_resident_memory_bytes"), 100, i -> String.valueOf(18_000_000L + (i % 10) * 100_000L))));
    answers.put("scrape_duration_seconds", matrix(
        series(with(prom, "__name__", "scrape_duration_seconds"), 100, i -> String.valueOf(0.004 + (i % 7) * 0.0005)),
        series(with(node, "__name__", "scrape_duration_seconds"), 100, i -> String.valueOf(0.012 + (i % 5) * 0.001))));
    return answers;
  }

  static RangeQueries fake(Map<String, QueryResult> answers) {
    return (promql, start, end, step) -> answers.getOrDefault(promql, matrix());
  }

  static ReportData data() {
    return new ReportCollector(fake(answers()), CLOCK).collect("prometheus_0a1b2c3d", STATUS, targets(), WINDOW);
  }

  static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> copy = new HashMap<>(labels);
    copy.put(name, value);
    return copy;
  }
}
