package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.Sample;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ReportData} by running the report's range queries ({@link #METRICS}) and
 * working out each target's availability from its {@code up} samples.
 */
public final class ReportCollector {

  /** The metric every report holds; availability is computed from it. */
  public static final String UP = "up";

  /** What a report plots, in order. A metric Prometheus has no samples for stays, empty. */
  public static final List<MetricQuery> METRICS = List.of(
      new MetricQuery(UP, "Target up (1) or down (0)", "", "up"),
      new MetricQuery("cpu", "Process CPU (cores used)", "cores", "rate(process_cpu_seconds_total[1m])"),
      new MetricQuery("node_cpu", "Node CPU, all modes but idle (cores used)", "cores",
          "sum by (job, instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[1m]))"),
      new MetricQuery("memory", "Process resident memory", "bytes", "process_resident_memory_bytes"),
      new MetricQuery("scrape_duration", "Scrape duration", "seconds", "scrape_duration_seconds"),
      new MetricQuery("probe_success", "Probe success (1) or failure (0)", "", "probe_success"));

  private final RangeQueries queries;
  private final Clock clock;

  /**
   * @param queries where the series come from
   * @param clock stamps the report's {@code generatedAt}
   */
  public ReportCollector(RangeQueries queries, Clock clock) {
    this.queries = queries;
    this.clock = clock;
  }

  /** {@link #collect(String, MonitorStatus, List, ReportWindow)} over {@link ReportWindow#covering}. */
  public ReportData collect(String monitorId, MonitorStatus status, List<TargetHealth> targets, Instant start,
      Instant end) {
    return collect(monitorId, status, targets, ReportWindow.covering(start, end));
  }

  /**
   * Runs every query of {@link #METRICS} over {@code window}.
   *
   * @param targets the targets Prometheus scrapes, listed first in the report; series of other
   *     targets (e.g. ones gone since) follow with unknown health
   * @throws io.github.hpcorchestrator.OperationFailedException if a query fails
   */
  public ReportData collect(String monitorId, MonitorStatus status, List<TargetHealth> targets, ReportWindow window) {
    List<ReportData.Metric> metrics = new ArrayList<>();
    for (MetricQuery metric : METRICS) {
      QueryResult result = queries.queryRange(metric.promql(), window.start(), window.end(), window.step());
      metrics.add(new ReportData.Metric(metric, result.series()));
    }
    List<Series> up = metrics.get(0).series();
    List<Series> probes = metrics.stream().filter(m -> m.query().name().equals("probe_success")).findFirst()
        .map(ReportData.Metric::series).orElse(List.of());
    return new ReportData(monitorId, clock.instant(), status, window, targetRows(targets, withProbes(up, probes)),
        metrics);
  }

  /**
   * The up series, except that a probe exporter's target counts by its {@code probe_success}: the
   * exporter being up says nothing about the service it probes, the probe does.
   */
  static List<Series> withProbes(List<Series> up, List<Series> probes) {
    Map<String, Series> probeByTarget = new LinkedHashMap<>();
    for (Series s : probes) {
      probeByTarget.put(key(s.metric().getOrDefault("job", ""), s.metric().getOrDefault("instance", "")), s);
    }
    List<Series> out = new ArrayList<>();
    for (Series s : up) {
      Series probe = probeByTarget.get(key(s.metric().getOrDefault("job", ""), s.metric().getOrDefault("instance", "")));
      out.add(probe == null ? s : new Series(s.metric(), probe.samples()));
    }
    return out;
  }

  /** The listed targets, then targets that only the up series know, each with its up counts. */
  static List<ReportData.Target> targetRows(List<TargetHealth> targets, List<Series> up) {
    Map<String, Series> upByTarget = new LinkedHashMap<>();
    for (Series s : up) {
      upByTarget.putIfAbsent(key(s.metric().getOrDefault("job", ""), s.metric().getOrDefault("instance", "")), s);
    }
    List<ReportData.Target> rows = new ArrayList<>();
    for (TargetHealth t : targets) {
      Series s = upByTarget.remove(key(t.job(), t.instance()));
      rows.add(new ReportData.Target(t.job(), t.instance(), t.health(), t.lastError(), t.labels(),
          s == null ? 0 : upCount(s), s == null ? 0 : s.samples().size()));
    }
    List<ReportData.Target> unlisted = new ArrayList<>();
    for (Series s : upByTarget.values()) {
      Map<String, String> labels = new LinkedHashMap<>(s.metric());
      labels.remove("__name__");
      unlisted.add(new ReportData.Target(labels.getOrDefault("job", ""), labels.getOrDefault("instance", ""),
          TargetHealth.Health.UNKNOWN, "", labels, upCount(s), s.samples().size()));
    }
    unlisted.sort(Comparator.comparing(ReportData.Target::job).thenComparing(ReportData.Target::instance));
    rows.addAll(unlisted);
    return rows;
  }

  private static String key(String job, String instance) {
    return job + '\u0000' + instance;
  }

  /** Samples whose value is exactly 1: a successful scrape. */
  private static int upCount(Series s) {
    int count = 0;
    for (Sample sample : s.samples()) {
      if (isOne(sample.value())) {
        count++;
      }
    }
    return count;
  }

  private static boolean isOne(String value) {
    try {
      return Double.parseDouble(value) == 1.0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
