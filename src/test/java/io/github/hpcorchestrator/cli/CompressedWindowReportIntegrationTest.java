package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.monitor.MonitorsModule;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.report.RangeQueries;
import io.github.hpcorchestrator.report.ReportCollector;
import io.github.hpcorchestrator.report.ReportData;
import io.github.hpcorchestrator.report.ReportWindow;
import io.github.hpcorchestrator.report.ReportWriter;
import io.github.hpcorchestrator.report.SavedMetrics;
import io.github.hpcorchestrator.report.ScrapeInterval;
import io.github.hpcorchestrator.report.WindowSave;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.testbed.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 part 5: the compressed saved window, at the scrape interval's step, gives a report the
 * same data (and the same page) as the live Prometheus does, on a real local session.
 */
@Tag("integration")
class CompressedWindowReportIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<String> REPORT_QUERIES = ReportCollector.METRICS.stream().map(m -> m.promql()).toList();
  private final Path dir;
  private final LocalCli cli;

  CompressedWindowReportIntegrationTest(@TempDir Path dir) throws IOException {
    this.dir = dir;
    cli = new LocalCli(dir);
  }

  @AfterEach
  void stopEverything() {
    cli.stopAll();
  }

  @Test
  void theReportFromTheCompressedWindowIsTheLiveOne() throws Exception {
    Path recipe = LocalCli.sessionRecipe(dir, "2s");
    CliResult started = cli.run("--recipe", recipe.toString());
    assertThat(started.code()).as(started.err()).isZero();
    String session = started.out().replaceAll("(?s).*Benchmark session started: (session_\\d+).*", "$1");
    String monitor = cli.json("--status").at("/monitors/0/service_id").asText();
    Await.value("5 scrapes of the exporter", DEADLINE, () -> {
      JsonNode value = cli.json("--query-service-metrics", monitor, "count_over_time(up{job=\"session\"}[1m])")
          .at("/data/result/0/value/1");
      return !value.isMissingNode() && Double.parseDouble(value.asText()) >= 5 ? Optional.of(true) : Optional.empty();
    });

    Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    try (BenchmarkOrchestrator orchestrator = new BenchmarkOrchestrator(cli.config())) {
      MonitorsModule monitors = orchestrator.monitors();
      PrometheusClient client = monitors.client(monitor);
      assertThat(ScrapeInterval.of(client)).contains(Duration.ofSeconds(2));
      ReportWindow fine = monitors.window(monitor);
      // Ending a few seconds back: both readings see only scrapes that had landed before either asked.
      // The file keeps times to the millisecond, as Prometheus does.
      ReportWindow window = ReportWindow.covering(fine.start(),
          fine.end().minusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), Duration.ofSeconds(2));
      MonitorStatus status = monitors.checkMonitorStatus(monitor);
      List<TargetHealth> targets = client.activeTargets();
      ReportData live = new ReportCollector((RangeQueries) client::queryRange, fixed)
          .collect(monitor, status, targets, window);
      Path gz = dir.resolve("window.json.gz");
      new WindowSave(client).save(gz, window, REPORT_QUERIES,
          targets.stream().map(TargetHealth::job).distinct().sorted().toList());
      SavedMetrics saved = SavedMetrics.read(gz, Set.copyOf(REPORT_QUERIES), SavedMetrics.DEFAULT_MAX_QUERY_BYTES);
      ReportData fromSaved = new ReportCollector(saved, fixed).collect(monitor, status, targets, saved.window());

      assertThat(saved.window()).isEqualTo(window);
      assertThat(live.metric("up").orElseThrow().series()).as("the exporter and Prometheus itself").hasSize(2);
      assertThat(fromSaved.metrics()).isEqualTo(live.metrics());
      assertThat(fromSaved.targets()).isEqualTo(live.targets());
      List<Path> livePages = new ReportWriter().write(live, dir.resolve("live"));
      List<Path> savedPages = new ReportWriter().write(fromSaved, dir.resolve("saved"));
      for (int i = 0; i < livePages.size(); i++) {
        assertThat(Files.readString(savedPages.get(i))).as("%s", savedPages.get(i))
            .isEqualTo(Files.readString(livePages.get(i)));
      }
    }

    // The CLI's own path: --stop-session saves the .gz, and --report after the stop reads it.
    CliResult stopped = cli.run("--stop-session", session);
    assertThat(stopped.code()).as(stopped.err()).isZero();
    Path monitorDir = dir.resolve("metrics").resolve(monitor);
    assertThat(monitorDir.resolve("session-metrics.json.gz")).isNotEmptyFile();
    assertThat(monitorDir.resolve("session-metrics.json")).doesNotExist();
    cli.json("--report", monitor, monitorDir.resolve("again").toString());
    JsonNode again = new com.fasterxml.jackson.databind.ObjectMapper().readTree(monitorDir.resolve("again.json").toFile());
    assertThat(again.at("/window/step_s").asText()).isEqualTo("2");
    assertThat(again.toString()).contains(monitor).contains("node_exporter");
  }
}
