package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import org.junit.jupiter.api.Test;

/** The probe exporter's real HTTP server, scraped over HTTP, its output checked by promtool. */
class ProbeMainTest {

  @Test
  void healthyServiceOverHttpPassesPromtool() throws Exception {
    try (RecordedHttpServer service = new RecordedHttpServer().answerText("/health", 200, "ok");
        RunningExporter exporter = ProbeMain.LAUNCHER.start(
            "--listen", "127.0.0.1:0", "--target", service.uri("/health").toString())) {
      String text = MetricsText.scrape(exporter.metricsUri());

      assertThat(text).contains("probe_success 1.0\n", "probe_http_status_code 200.0\n", "probe_duration_seconds ");
      PromtoolMetrics.assertPasses(text);
    }
  }

  @Test
  void timedOutServiceOverHttpPassesPromtool() throws Exception {
    try (RecordedHttpServer service = new RecordedHttpServer().answerText("/health", 200, "ok").hang("/health");
        RunningExporter exporter = ProbeMain.LAUNCHER.start(
            "--listen", "127.0.0.1:0", "--target=" + service.uri("/health"), "--timeout", "200ms")) {
      String text = MetricsText.scrape(exporter.metricsUri());

      assertThat(text).contains("probe_success 0.0\n", "probe_http_status_code 0.0\n");
      PromtoolMetrics.assertPasses(text);
    }
  }

  @Test
  void targetIsRequired() {
    assertThatThrownBy(() -> ProbeMain.LAUNCHER.start("--listen", "127.0.0.1:0"))
        .isInstanceOf(InputException.class)
        .hasMessage("--target is required");
  }
}
