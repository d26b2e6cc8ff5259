package io.github.hpcorchestrator.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeExporterTest {

  private RecordedHttpServer service;

  @BeforeEach
  void start() throws IOException {
    service = new RecordedHttpServer();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private ProbeExporter probe(Duration timeout) {
    AtomicLong now = new AtomicLong();
    return new ProbeExporter(service.uri("/health"), new DeadlineHttpClient(timeout), () -> now.getAndAdd(125_000_000L));
  }

  private static String expected(int success, int status) {
    return """
        # HELP probe_duration_seconds How long the probe took, in seconds
        # TYPE probe_duration_seconds gauge
        probe_duration_seconds 0.125
        # HELP probe_http_status_code HTTP status of the health endpoint's answer; 0 when there was none
        # TYPE probe_http_status_code gauge
        probe_http_status_code %d.0
        # HELP probe_success 1 if the health endpoint answered 2xx within the timeout, else 0
        # TYPE probe_success gauge
        probe_success %d.0
        """.formatted(status, success);
  }

  @Test
  void healthy2xxIsSuccess() {
    service.answerText("/health", 200, "");

    assertThat(MetricsText.of(probe(Duration.ofSeconds(2)))).isEqualTo(expected(1, 200));
  }

  @Test
  void errorStatusIsFailureWithTheStatus() {
    service.answerText("/health", 503, "loading model");

    assertThat(MetricsText.of(probe(Duration.ofSeconds(2)))).isEqualTo(expected(0, 503));
  }

  @Test
  void unknownPathIsFailure() {
    assertThat(MetricsText.of(probe(Duration.ofSeconds(2)))).isEqualTo(expected(0, 404));
  }

  @Test
  void redirectIsNotFollowedAndFails() {
    service.answerText("/health", 302, "");

    assertThat(MetricsText.of(probe(Duration.ofSeconds(2)))).isEqualTo(expected(0, 302));
  }

  @Test
  void stoppedServiceIsFailureWithoutStatus() {
    ProbeExporter probe = probe(Duration.ofSeconds(2));
    service.close();

    assertThat(MetricsText.of(probe)).isEqualTo(expected(0, 0));
  }

  @Test
  void slowServiceIsFailureAfterTheTimeout() {
    service.answerText("/health", 200, "").hang("/health");
    ProbeExporter probe = new ProbeExporter(service.uri("/health"), new DeadlineHttpClient(Duration.ofMillis(200)),
        System::nanoTime);

    long start = System.nanoTime();
    String text = MetricsText.of(probe);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(text).contains("probe_success 0.0\n", "probe_http_status_code 0.0\n");
    assertThat(took).isBetween(Duration.ofMillis(150), Duration.ofMillis(700));
  }
}
