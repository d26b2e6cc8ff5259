package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusConfigWriterTest {

  private final PrometheusConfigWriter writer = new PrometheusConfigWriter();

  @Test
  void canonicalServiceConfigPutsSelfScrapeFirst() {
    PrometheusConfig config = PrometheusConfig.forService("localhost:9090", Duration.ofSeconds(15),
        List.of(ScrapeConfig.ofStatic("ollama", List.of("node1:11434"))));

    assertThat(writer.write(config)).isEqualTo("""
        global:
          scrape_interval: 15s
          evaluation_interval: 15s
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets:
                  - localhost:9090
          - job_name: ollama
            static_configs:
              - targets:
                  - node1:11434
        """);
  }

  @Test
  void rendersEveryFieldInFixedOrder() {
    ScrapeConfig job = new ScrapeConfig("node", "/custom/metrics", "https", Optional.of(Duration.ofSeconds(90)),
        List.of(new StaticConfig(List.of("b:9100", "a:9100"), Map.of("zone", "z1", "rack", "r7"))),
        List.of(new FileSdConfig(List.of("targets/*.json"), Optional.of(Duration.ofMinutes(1)))));
    PrometheusConfig config = new PrometheusConfig(
        new GlobalConfig(Duration.ofSeconds(30), Duration.ofMinutes(1), Map.of("site", "hpc", "cluster", "c1")),
        List.of(job));

    assertThat(writer.write(config)).isEqualTo("""
        global:
          scrape_interval: 30s
          evaluation_interval: 1m
          external_labels:
            cluster: c1
            site: hpc
        scrape_configs:
          - job_name: node
            scrape_interval: 1m30s
            metrics_path: /custom/metrics
            scheme: https
            static_configs:
              - targets:
                  - b:9100
                  - a:9100
                labels:
                  rack: r7
                  zone: z1
            file_sd_configs:
              - files:
                  - targets/*.json
                refresh_interval: 1m
        """);
  }

  @Test
  void omitsEmptySections() {
    PrometheusConfig config = new PrometheusConfig(GlobalConfig.every(Duration.ofMillis(500)), List.of());

    assertThat(writer.write(config)).isEqualTo("""
        global:
          scrape_interval: 500ms
          evaluation_interval: 500ms
        """);
  }

  @Test
  void quotesValuesYamlWouldOtherwiseMisread() {
    PrometheusConfig config = PrometheusConfig.forService("localhost:9090", Duration.ofSeconds(15), List.of(
        new ScrapeConfig("true", "/metrics", "http", Optional.empty(),
            List.of(new StaticConfig(List.of("h:1"), Map.of("version", "1.0", "note", "a: b"))), List.of())));

    assertThat(writer.write(config)).contains("""
          - job_name: "true"
            static_configs:
              - targets:
                  - h:1
                labels:
                  note: "a: b"
                  version: "1.0"
        """);
  }

  @Test
  void rejectsDuplicateJobNames() {
    assertThatThrownBy(() -> PrometheusConfig.forService("localhost:9090", Duration.ofSeconds(15),
        List.of(ScrapeConfig.ofStatic("prometheus", List.of("x:1")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate scrape job name: prometheus");
  }
}
