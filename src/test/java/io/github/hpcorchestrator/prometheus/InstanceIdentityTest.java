package io.github.hpcorchestrator.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The identity check a query makes before it trusts the endpoint state remembers for a monitor. */
class InstanceIdentityTest {
  private static final String ID = "prometheus_0a1b2c3d";

  /** The prometheus.yml this tool writes for {@code id}, rendered by the same writer. */
  private static String configOf(String id) {
    PrometheusConfig c = PrometheusConfig.forService("localhost:9090", Duration.ofSeconds(15), List.of());
    return new PrometheusConfigWriter().write(new PrometheusConfig(new GlobalConfig(Duration.ofSeconds(15),
        Duration.ofSeconds(15), InstanceIdentity.labels(id)), c.scrapeConfigs()));
  }

  @Test
  void theRightInstanceIsTheSame() {
    assertThat(InstanceIdentity.judge(configOf(ID), ID).verdict()).isEqualTo(InstanceIdentity.Verdict.SAME);
  }

  @Test
  void anotherMonitorOnTheSamePortIsOtherAndNamed() {
    InstanceIdentity.Check check = InstanceIdentity.judge(configOf("prometheus_ffff0000"), ID);
    assertThat(check.verdict()).isEqualTo(InstanceIdentity.Verdict.OTHER);
    assertThat(check.found()).isEqualTo("prometheus_ffff0000");
  }

  @Test
  void aConfigWithoutTheMarkerIsNoMarkerSoTheQueryFallsBack() {
    String unmarked = new PrometheusConfigWriter().write(PrometheusConfig.forService("localhost:9090",
        Duration.ofSeconds(15), List.of()));
    String otherLabels = new PrometheusConfigWriter().write(new PrometheusConfig(new GlobalConfig(
        Duration.ofSeconds(15), Duration.ofSeconds(15), Map.of("cluster", "c1")), List.of()));
    for (String config : List.of(unmarked, otherLabels, "", "{not: [yaml", "global: 3\n")) {
      assertThat(InstanceIdentity.judge(config, ID).verdict()).as(config).isEqualTo(InstanceIdentity.Verdict.NO_MARKER);
    }
  }

  @Test
  void checkReadsStatusConfigOnceAndAFailedAskIsUnknownNotAnException() throws IOException {
    String body = new ObjectMapper().writeValueAsString(Map.of("status", "success", "data", Map.of("yaml", configOf(ID))));
    try (RawHttpServer server = new RawHttpServer((target, out) -> RawHttpServer.json(out, body))) {
      PrometheusClient client = PrometheusClient.of(server.uri());
      assertThat(InstanceIdentity.check(client, ID).verdict()).isEqualTo(InstanceIdentity.Verdict.SAME);
      assertThat(InstanceIdentity.check(client, "prometheus_ffff0000").verdict())
          .isEqualTo(InstanceIdentity.Verdict.OTHER);
      assertThat(server.targets()).containsExactly("/api/v1/status/config", "/api/v1/status/config");
    }
    try (RawHttpServer notPrometheus = new RawHttpServer((target, out) -> {
      out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
    })) {
      InstanceIdentity.Check check = InstanceIdentity.check(PrometheusClient.of(notPrometheus.uri()), ID);
      assertThat(check.verdict()).isEqualTo(InstanceIdentity.Verdict.UNKNOWN);
      assertThat(check.why()).contains("HTTP 404");
    }
    assertThat(InstanceIdentity.marker(configOf(ID))).isEqualTo(Optional.of(ID));
  }
}
