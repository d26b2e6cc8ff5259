package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitoring module on the SLURM test cluster, driven from the laptop namespace over SSH: a
 * Prometheus that follows services started after it, and sidecar exporters on a service's node.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlurmMonitoringIntegrationTest {
  private TestCluster cluster;
  private SlurmCli cli;
  private Path work;
  private Path onNode1;
  private Path onNode2;
  private Path onNode3;
  private BenchmarkOrchestrator api;

  @BeforeAll
  void up(TestCluster shared) throws Exception {
    cluster = shared;
    work = cluster.workDir("hpco-slurm-monitoring");
    cli = new SlurmCli(cluster, work);
    onNode1 = cli.config("node1.yaml", cluster.nodes().get(0));
    onNode2 = cli.config("node2.yaml", cluster.nodes().get(1));
    onNode3 = cli.config("node3.yaml", cluster.nodes().get(2));
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (api != null) {
      api.close();
      api = null;
    }
    if (cli != null) {
      cli.run(onNode1, "--stop-all-services");
      cli.slurm("scancel", "--me");
    }
  }

  @AfterAll
  void down() throws Exception {
    if (cluster != null) {
      cli.slurm("scancel", "--me");
    }
  }

  private String start(Path config, Path recipe) throws Exception {
    CliResult r = cli.run(config, "--recipe", recipe.toString(), "--output", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json().at("/services/0/service_id").asText();
  }

  /**
   * Queries through the library in this JVM, with the CLI's config: its commands go to the holder
   * the CLI started in the laptop namespace, its one tunnel for all polls through a connection of its
   * own, since the holder's forwards are on that namespace's 127.0.0.1 (the CLI's own path through the
   * laptop namespace is covered by SlurmBackendIntegrationTest).
   */
  private JsonNode query(String monitor, String promql) {
    if (api == null) {
      api = new BenchmarkOrchestrator(new ConfigLoader().load(onNode1), line -> { });
    }
    return api.monitors().queryMetrics(monitor, promql).raw().at("/data/result");
  }

  private Map<String, String> byService(String monitor, String promql) {
    Map<String, String> out = new TreeMap<>();
    query(monitor, promql).forEach(r -> out.put(r.at("/metric/service_id").asText(), r.at("/value/1").asText()));
    return out;
  }

  @Test
  void prometheusFollowsExportersStartedLaterOnOtherNodes() throws Exception {
    Path recipe = Files.writeString(work.resolve("follow.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 2s",
        "  monitoring_targets:",
        "    - service: node_exporter",
        "      job_name: nodes",
        "      port: 9100",
        "  ports: [9090]", ""));
    String monitor = start(onNode3, recipe);
    String startedAt = query(monitor, "process_start_time_seconds{job=\"prometheus\"}").at("/0/value/1").asText();
    Path exporter = SlurmCli.REPO.resolve("recipes/services/node_exporter.yaml");
    String first = start(onNode1, exporter);
    String second = start(onNode2, exporter);

    Map<String, String> up = Await.value("two exporters up", Duration.ofSeconds(30), () -> {
      Map<String, String> now = byService(monitor, "up{job=\"nodes\"}");
      return now.size() == 2 && now.values().stream().allMatch("1"::equals) ? Optional.of(now) : Optional.empty();
    });
    assertThat(up).containsOnlyKeys(first, second);
    JsonNode row = query(monitor, "up{service_id=\"" + first + "\"}").get(0).path("metric");
    assertThat(row.path("node").asText()).isEqualTo(cluster.nodes().get(0));
    assertThat(row.path("instance").asText()).isEqualTo(cluster.nodes().get(0) + ":9100");

    assertThat(cli.run(onNode1, "--stop-service", first).code()).isZero();
    Await.value("the stopped exporter gone", Duration.ofSeconds(30), () ->
        byService(monitor, "up{job=\"nodes\"}").keySet().equals(Set.of(second)) ? Optional.of(true) : Optional.empty());
    assertThat(query(monitor, "process_start_time_seconds{job=\"prometheus\"}").at("/0/value/1").asText())
        .as("Prometheus was never restarted").isEqualTo(startedAt);
  }

  @Test
  void probeAndNodeExportersRideAlongAndTheProbeSeesTheServiceDie() throws Exception {
    Path web = Files.writeString(work.resolve("web.yaml"), String.join("\n",
        "service:",
        "  name: http_server",
        "  command: python3",
        "  args: [\"-m\", \"http.server\", \"--bind\", \"{listen_address}\", \"{port}\"]",
        "  ports: [8000]",
        "  health_check:",
        "    endpoint: /",
        "  exporters: [probe, node]", ""));
    String service = start(onNode1, web);
    Path recipe = Files.writeString(work.resolve("watch.yaml"), String.join("\n",
        "service:",
        "  name: prometheus",
        "  scrape_interval: 1s",
        "  monitoring_targets:",
        "    - service_id: \"" + service + "\"",
        "      job_name: web",
        "  ports: [9090]", ""));
    String monitor = start(onNode2, recipe);

    Await.value("probe_success 1", Duration.ofSeconds(30), () ->
        "1".equals(byService(monitor, "probe_success").get(service)) ? Optional.of(true) : Optional.empty());
    JsonNode nodeMetrics = query(monitor, "count by (service_id, node) (node_cpu_seconds_total{job=\"web-node\"})");
    assertThat(nodeMetrics.at("/0/metric/service_id").asText()).isEqualTo(service);
    assertThat(nodeMetrics.at("/0/metric/node").asText()).isEqualTo(cluster.nodes().get(0));

    killServiceProcess(service);
    // The lowest probe result of the last minute: still there after the job (and its probe) ended.
    Await.value("probe_success 0", Duration.ofSeconds(60), () ->
        "0".equals(byService(monitor, "min_over_time(probe_success[1m])").get(service)) ? Optional.of(true)
            : Optional.empty());

    Path report = work.resolve("web-report");
    CliResult written = cli.run(onNode1, "--report", monitor, report.toString());
    assertThat(written.code()).as(written.err()).isZero();
    JsonNode targets = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Files.readString(work.resolve("web-report.json"))).path("targets");
    double probeAvailability = -1;
    for (JsonNode t : targets) {
      if (t.path("job").asText().equals("web-probe")) {
        probeAvailability = t.path("availability").asDouble();
      }
    }
    assertThat(probeAvailability).as("availability of the probed service").isGreaterThan(0).isLessThan(1);
  }

  /** Kills the service's own process (the job and its exporters stay), as a crash would. */
  private void killServiceProcess(String serviceId) throws IOException, InterruptedException {
    Path dir = work.resolve("remote/services").resolve(serviceId);
    List<String> pids;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      pids = procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
        try {
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          return cmd.contains("http.server") && Files.readSymbolicLink(p.resolve("cwd")).equals(dir);
        } catch (IOException e) {
          return false;
        }
      }).map(p -> p.getFileName().toString()).toList();
    }
    assertThat(pids).as("the service's process").isNotEmpty();
    for (String pid : pids) {
      new ProcessBuilder("kill", "-KILL", pid).start().waitFor();
    }
  }
}
