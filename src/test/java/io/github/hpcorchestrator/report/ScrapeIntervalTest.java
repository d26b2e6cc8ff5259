package io.github.hpcorchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.RawHttpServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The step of a saved window comes from the scrape intervals a Prometheus reports it runs with. */
class ScrapeIntervalTest {

  @Test
  void theShortestIntervalOfTheGlobalSectionAndTheJobsCounts() {
    String yaml = "global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\nscrape_configs:\n- job_name: a\n"
        + "  scrape_interval: 5s\n- job_name: b\n  scrape_interval: 1m\n";

    assertThat(ScrapeInterval.shortest(yaml)).contains(Duration.ofSeconds(5));
    assertThat(ScrapeInterval.shortest("global:\n  evaluation_interval: 1m\n")).isEmpty();
    assertThat(ScrapeInterval.shortest("global:\n  scrape_interval: soon\n")).isEmpty();
  }

  @Test
  void isReadFromTheStatusApiAndIsEmptyWhenThatFails() throws Exception {
    try (RawHttpServer server = new RawHttpServer((target, out) -> {
      if (target.startsWith("/api/v1/status/config")) {
        RawHttpServer.json(out, "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  scrape_interval: 2s\\n\"}}");
      } else {
        RawHttpServer.json(out, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}");
      }
    })) {
      PrometheusClient client = PrometheusClient.of(server.uri());
      assertThat(ScrapeInterval.of(client)).isEqualTo(Optional.of(Duration.ofSeconds(2)));
    }
    try (RawHttpServer failing = new RawHttpServer((target, out) ->
        RawHttpServer.json(out, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}"))) {
      assertThat(ScrapeInterval.of(PrometheusClient.of(failing.uri()))).isEmpty();
    }
  }
}
