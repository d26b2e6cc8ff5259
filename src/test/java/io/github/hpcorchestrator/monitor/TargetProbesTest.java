package io.github.hpcorchestrator.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.RawHttpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 14 item 4: frozen monitors cost --status one short deadline in all, not one each. */
class TargetProbesTest {
  private final List<RawHttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (RawHttpServer s : servers) {
      s.close();
    }
  }

  private PrometheusClient frozen() throws Exception {
    RawHttpServer server = new RawHttpServer((target, out) -> release.await(30, TimeUnit.SECONDS));
    servers.add(server);
    return new PrometheusClient(server.uri(), Optional.empty(), Optional.empty(), Duration.ofSeconds(2),
        Duration.ofSeconds(2), 1 << 20);
  }

  @Test
  void frozenMonitorsAreAskedTogetherAndAnsweringOnesStillCount() throws Exception {
    Map<String, PrometheusClient> clients = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      clients.put("prometheus_frozen" + i, frozen());
    }
    RawHttpServer healthy = new RawHttpServer((target, out) -> RawHttpServer.json(out,
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[{\"labels\":{\"job\":\"node\",\"instance\":\"n1:9100\"},"
            + "\"scrapeUrl\":\"http://n1:9100/metrics\",\"health\":\"up\",\"lastScrape\":\"0001-01-01T00:00:00Z\","
            + "\"lastError\":\"\"}]}}"));
    servers.add(healthy);
    clients.put("prometheus_healthy", PrometheusClient.of(healthy.uri()));
    Instant start = Instant.now();

    Map<String, TargetProbes.Probe> probes = TargetProbes.probe(clients, Duration.ofSeconds(2));

    Duration took = Duration.between(start, Instant.now());
    assertThat(took).as("four frozen monitors, 2 s each if asked one after another").isLessThan(Duration.ofSeconds(5));
    assertThat(probes.keySet()).containsExactlyElementsOf(clients.keySet());
    for (int i = 0; i < 4; i++) {
      TargetProbes.Probe probe = probes.get("prometheus_frozen" + i);
      assertThat(probe.targets()).isEmpty();
      assertThat(probe.failure()).endsWith("not reachable: no complete answer within 2s");
    }
    assertThat(probes.get("prometheus_healthy").targets()).hasValueSatisfying(
        targets -> assertThat(targets).singleElement().satisfies(t -> assertThat(t.instance()).isEqualTo("n1:9100")));
  }
}
