package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.prometheus.QueryResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Answers PromQL range queries: a live {@code PrometheusClient::queryRange}, or {@link SavedMetrics}
 * read from disk after Prometheus is gone.
 */
@FunctionalInterface
public interface RangeQueries {

  /** Evaluates {@code promql} over {@code [start, end]} every {@code step}; a matrix result. */
  QueryResult queryRange(String promql, Instant start, Instant end, Duration step);

  /**
   * These queries, also putting every answer into {@code answers} keyed by PromQL, so what a report
   * was built from can be saved with {@link SavedMetricsWriter}.
   */
  default RangeQueries recordingInto(Map<String, QueryResult> answers) {
    return (promql, start, end, step) -> {
      QueryResult result = queryRange(promql, start, end, step);
      answers.put(promql, result);
      return result;
    };
  }
}
