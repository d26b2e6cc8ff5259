package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.prometheus.GlobalConfig;
import io.github.hpcorchestrator.prometheus.InstanceIdentity;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.PrometheusConfig;
import io.github.hpcorchestrator.prometheus.PrometheusConfigWriter;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitor A dies behind the tool's back and a Prometheus of another monitor takes its port while
 * state still places A there: a query for A is never answered by that other instance; it says A
 * is gone. A real Prometheus on the local backend, so the marker is checked as Prometheus serves it.
 */
@Tag("integration")
class ReplacedMonitorIntegrationTest {
  private static final String OTHER = "prometheus_ffff0000";

  @TempDir Path dir;
  private LocalCli cli;
  private String jobId;
  private Process other;

  @AfterEach
  void cleanUp() throws Exception {
    if (other != null) {
      other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (cli != null) {
      cli.cleanUp(jobId == null ? List.of() : List.of(jobId));
    }
  }

  @Test
  void aQueryForAMonitorWhosePortAnotherMonitorTookIsNeverAnsweredByIt() throws Exception {
    cli = new LocalCli(dir);
    Path recipe = Files.writeString(dir.resolve("prometheus.yaml"), "service:\n  name: prometheus\n  scrape_interval: 1s\n");
    JsonNode started = cli.json("--recipe", recipe.toString());
    String id = started.at("/services/0/service_id").asText();
    jobId = started.at("/services/0/job_id").asText();
    int port = cli.json("--service-endpoint", id).path("port").asInt();
    PrometheusClient atPort = PrometheusClient.of(URI.create("http://127.0.0.1:" + port));
    assertThat(InstanceIdentity.check(atPort, id).verdict()).as("the real Prometheus serves its marker")
        .isEqualTo(InstanceIdentity.Verdict.SAME);
    assertThat(cli.json("--query-service-metrics", id, "up").at("/data/result").size()).isPositive();

    // SIGKILL to A's whole group: no exit code is written, state still says RUNNING at that port.
    assertThat(new ProcessBuilder("kill", "-KILL", "--", "-" + jobId).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
    Await.until("process group " + jobId + " gone", Duration.ofSeconds(20), () -> !ProcessGroups.alive(jobId));
    other = startOtherMonitor(port);
    Await.until("the other Prometheus on port " + port, Duration.ofSeconds(60), atPort::ready);
    assertThat(InstanceIdentity.check(atPort, id).verdict()).isEqualTo(InstanceIdentity.Verdict.OTHER);

    CliResult query = cli.run("--query-service-metrics", id, "up");

    assertThat(query.code()).as("stdout: %s", query.out()).isNotZero();
    assertThat(query.out()).doesNotContain("prometheus");
    assertThat(query.err().strip()).contains("monitor " + id + " is FAILED, not running: nothing to query")
        .doesNotContain("Exception").hasLineCount(1);
  }

  /** A plain Prometheus with another monitor's marker, listening on {@code port}; this test's own process. */
  private Process startOtherMonitor(int port) throws IOException {
    String config = new PrometheusConfigWriter().write(new PrometheusConfig(new GlobalConfig(Duration.ofSeconds(1),
        Duration.ofSeconds(1), InstanceIdentity.labels(OTHER)), List.of()));
    Path file = Files.writeString(dir.resolve("other.yml"), config);
    Path data = Files.createDirectories(dir.resolve("other-data"));
    return new ProcessBuilder("prometheus", "--config.file=" + file, "--storage.tsdb.path=" + data,
        "--web.listen-address=:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("other.log").toFile())
        .start();
  }
}
