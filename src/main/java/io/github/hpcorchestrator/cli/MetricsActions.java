package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.QueryResultTable;
import io.github.hpcorchestrator.report.MetricsFiles;
import io.github.hpcorchestrator.report.ReportWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** --query-service-metrics, --query-metrics, --collect-metrics and --report. */
final class MetricsActions {
  private MetricsActions() {}

  /** The range of --start/--end/--step, if --start was given; --end or --step alone is an input error. */
  static Optional<ReportWindow> range(String start, String end, String step) {
    if (start == null) {
      if (end != null || step != null) {
        throw new InputException("--end and --step need --start");
      }
      return Optional.empty();
    }
    Instant now = Instant.now();
    Instant from = TimeArgument.parse("--start", start, now);
    Instant to = end == null ? now : TimeArgument.parse("--end", end, now);
    if (!to.isAfter(from)) {
      throw new InputException("--start must be before --end");
    }
    if (step == null) {
      return Optional.of(ReportWindow.covering(from, to));
    }
    Duration stepDuration;
    try {
      stepDuration = PrometheusDuration.parse(step);
    } catch (IllegalArgumentException e) {
      throw new InputException("--step: expected a duration such as 15s, found '" + step + "'");
    }
    return Optional.of(new ReportWindow(from, to, stepDuration));
  }

  /** An instant or range query on a monitor. */
  static View query(BenchmarkOrchestrator orchestrator, String typedId, String promql, Optional<ReportWindow> window) {
    QueryResult result = window.isPresent()
        ? orchestrator.monitors().queryRange(typedId, promql, window.get().start(), window.get().end(), window.get().step())
        : orchestrator.monitors().queryMetrics(typedId, promql);
    return new View(() -> new QueryResultTable().render(result), result::raw);
  }

  /** A query saved under the metrics folder. */
  static View collect(BenchmarkOrchestrator orchestrator, List<String> idQueryFile, MetricsFiles.Format format,
      Optional<ReportWindow> window) {
    Path file = orchestrator.monitors().collectMetricsToFile(idQueryFile.get(0), idQueryFile.get(1),
        idQueryFile.get(2), format, window);
    return new View(() -> "Wrote " + file + "\n",
        () -> Printer.object().put("file", file.toString()).put("format", format.name()));
  }

  /** A monitor's report, as FILE.json and FILE.html. */
  static View report(BenchmarkOrchestrator orchestrator, List<String> idAndFile) {
    Optional<Path> base = idAndFile.size() > 1 ? Optional.of(Path.of(idAndFile.get(1))) : Optional.empty();
    List<String> written = orchestrator.monitors().constructReport(idAndFile.get(0), base).stream()
        .map(Path::toString).toList();
    return new View(() -> "Wrote " + String.join(" and ", written) + "\n",
        () -> Printer.object().set("files", Printer.array(written)));
  }
}
