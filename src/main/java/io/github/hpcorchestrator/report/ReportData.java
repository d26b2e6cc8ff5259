package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Immutable snapshot of what one monitor measured over a window: the input of {@link ReportWriter}.
 *
 * @param monitorId the Prometheus service ID
 * @param generatedAt when the report was built
 * @param status the monitor's status (the spec's check_monitor_status fields)
 * @param window the time range and step the series were queried with
 * @param targets scrape targets, with their availability over the window
 * @param metrics the plotted metrics in report order, each with zero or more series
 */
public record ReportData(
    String monitorId,
    Instant generatedAt,
    MonitorStatus status,
    ReportWindow window,
    List<Target> targets,
    List<Metric> metrics) {

  public ReportData {
    targets = List.copyOf(targets);
    metrics = List.copyOf(metrics);
  }

  /** The metric called {@code name}, if the report has it. */
  public Optional<Metric> metric(String name) {
    return metrics.stream().filter(m -> m.query().name().equals(name)).findFirst();
  }

  /**
   * One scrape target and how often it was up.
   *
   * @param job the {@code job} label
   * @param instance the {@code instance} label
   * @param health last scrape health; unknown for a target known only from saved samples
   * @param lastError the last scrape's error, empty when it succeeded or is unknown
   * @param labels the target's labels, sorted by name
   * @param upSamples samples of {@code up} that were 1
   * @param samples samples of {@code up} in the window
   */
  public record Target(
      String job,
      String instance,
      TargetHealth.Health health,
      String lastError,
      Map<String, String> labels,
      int upSamples,
      int samples) {

    public Target {
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** Fraction of {@code up} samples that were 1, from 0 to 1; empty without samples. */
    public Optional<Double> availability() {
      return samples == 0 ? Optional.empty() : Optional.of((double) upSamples / samples);
    }
  }

  /**
   * One metric's series over the window.
   *
   * @param query what the metric is and the PromQL that produced it
   * @param series one per target (or per label set the query returned), in the order received
   */
  public record Metric(MetricQuery query, List<Series> series) {

    public Metric {
      series = List.copyOf(series);
    }
  }
}
