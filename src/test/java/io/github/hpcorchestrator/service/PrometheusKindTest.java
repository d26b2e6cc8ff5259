package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.PromtoolCheck;
import io.github.hpcorchestrator.recipe.MonitoringTarget;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrometheusKindTest {
  /** No promtool: the unit tests judge the text themselves. */
  private final PrometheusKind kind = new PrometheusKind(new PromtoolCheck(Optional.empty(), Duration.ofSeconds(5)));

  /** Knows one running service, node_exporter_6355d49f on node7:9123, like ServersModule's context. */
  private static final class FakeContext implements LaunchContext {
    @Override
    public String executable(String tool) {
      return "/opt/bin/" + tool;
    }

    private static final DiscoveredService EXPORTER = new DiscoveredService("node_exporter_6355d49f", "node_exporter",
        "4242", "node7", "node7", 9123, "session_1", Map.of("probe", 9500), 9100);

    @Override
    public DiscoveredService runningService(String typedId) {
      String id = ServiceIdResolver.resolve(typedId, List.of("node_exporter_6355d49f"));
      assertThat(id).isEqualTo("node_exporter_6355d49f");
      return EXPORTER;
    }

    @Override
    public List<DiscoveredService> runningServices() {
      return List.of(EXPORTER);
    }

    @Override
    public String sessionId() {
      return "session_2";
    }

    @Override
    public String backend() {
      return "local";
    }

    @Override
    public String schedulerRoot() {
      return "/state/services";
    }

    @Override
    public String dataDir() {
      return "/state";
    }

    @Override
    public io.github.hpcorchestrator.prometheus.PrometheusCredentials newCredentials() {
      return io.github.hpcorchestrator.prometheus.PrometheusCredentials.generate(new java.security.SecureRandom());
    }

    @Override
    public List<String> javaCommand(String mainClass) {
      return List.of("java", "-cp", "/x.jar", mainClass);
    }
  }

  private static ServiceSpec prometheus(List<MonitoringTarget> targets, Optional<String> interval,
      Map<String, String> env) {
    return new ServiceSpec("prometheus", "", Optional.empty(), List.of(), Optional.empty(), ResourceSpec.none(),
        env, List.of(9090), Optional.empty(), targets, interval);
  }

  private static MonitoringTarget byId(String id, String job, Optional<Integer> port) {
    return new MonitoringTarget(Optional.of(id), Optional.empty(), job, port, "/metrics");
  }

  private static MonitoringTarget byHost(String host, String job, int port, String path) {
    return new MonitoringTarget(Optional.empty(), Optional.of(host), job, Optional.of(port), path);
  }

  @Test
  void rendersSelfScrapeThenHostAndServiceTargets() {
    ServiceSpec spec = prometheus(List.of(
        byHost("gpu01.cluster", "gpu", 9400, "/metrics"),
        byId("node_exporter_6355d49f", "node", Optional.of(9100))), Optional.of("1s"), Map.of());

    assertThat(kind.renderConfig(spec, "prometheus_0a1b2c3d", new FakeContext())).startsWith("""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
          external_labels:
            hpc_orchestrator_monitor: prometheus_0a1b2c3d
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets:
                  - "localhost:{port}"
          - job_name: gpu
            static_configs:
              - targets:
                  - gpu01.cluster:9400
          - job_name: node-probe
            file_sd_configs:
              - files:
                  - "{service_dir}/targets/node-probe.json"
                refresh_interval: 1s
        """).contains("""
          - job_name: node
            file_sd_configs:
              - files:
                  - "{service_dir}/targets/node.json"
                refresh_interval: 1s
        """);
  }

  @Test
  void serviceTargetIsFollowedWithItsLabelsAndExporters() {
    ServiceSpec spec = prometheus(List.of(byId("6355d49f", "node", Optional.empty())), Optional.empty(), Map.of());

    JobSpec job = kind.plan(spec, "prometheus_0a1b2c3d", new FakeContext());

    assertThat(job.files().get("targets/node.json")).isEqualTo("""
        [ {
          "targets" : [ "node7:9123" ],
          "labels" : {
            "job_id" : "4242",
            "node" : "node7",
            "service_id" : "node_exporter_6355d49f",
            "service_name" : "node_exporter"
          }
        } ]
        """);
    assertThat(job.files().get("targets/node-probe.json")).contains("node7:9500");
    assertThat(job.files().get("targets/node-gpu.json")).isEqualTo("[ ]\n");
    assertThat(job.files().get("discovery.json")).contains("\"service_id\" : \"node_exporter_6355d49f\"");
  }

  @Test
  void jobNamesThatClashWithExporterJobsAreRejected() {
    ServiceSpec spec = prometheus(List.of(byId("6355d49f", "node", Optional.empty()),
        byHost("h", "node-probe", 1, "/metrics")), Optional.empty(), Map.of());

    assertThatThrownBy(() -> kind.plan(spec, "prometheus_0a1b2c3d", new FakeContext()))
        .isInstanceOf(InputException.class).hasMessageContaining("job name 'node-probe' is used twice");
  }

  @Test
  void targetByServiceNameIsFollowedThroughFileSdAndADiscoverySidecar() {
    MonitoringTarget byName = new MonitoringTarget(Optional.empty(), Optional.empty(), Optional.of("node_exporter"),
        false, "nodes", Optional.of(9100), "/metrics");
    ServiceSpec spec = prometheus(List.of(byName), Optional.of("2s"), Map.of());

    JobSpec job = kind.plan(spec, "prometheus_0a1b2c3d", new FakeContext());

    assertThat(job.files().get("prometheus.yml")).contains("""
          - job_name: nodes
            file_sd_configs:
              - files:
                  - "{service_dir}/targets/nodes.json"
                refresh_interval: 2s
        """);
    // port 9100 is what the exporter asked for; it got 9123, and the target follows it.
    assertThat(job.files().get("targets/nodes.json")).contains("\"node7:9123\"")
        .contains("\"service_id\" : \"node_exporter_6355d49f\"");
    assertThat(job.files().get("discovery.json")).contains("\"service\" : \"node_exporter\"")
        .contains("\"monitor_id\" : \"prometheus_0a1b2c3d\"").contains("\"session\" : \"session_2\"");
    assertThat(job.sidecars()).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("discovery");
      assertThat(s.argv()).containsExactly("java", "-cp", "/x.jar", "io.github.hpcorchestrator.monitor.DiscoveryMain",
          "{service_dir}/discovery.json");
    });
  }

  @Test
  void customMetricsPathIsWritten() {
    ServiceSpec spec = prometheus(List.of(byHost("10.0.0.5", "dcgm", 9400, "/dcgm/metrics")), Optional.of("30s"),
        Map.of());

    assertThat(kind.renderConfig(spec, "prometheus_0a1b2c3d", new FakeContext())).contains("""
          - job_name: dcgm
            metrics_path: /dcgm/metrics
            static_configs:
              - targets:
                  - 10.0.0.5:9400
        """);
  }

  @Test
  void planRunsPrometheusWithItsConfigInTheServiceFolderAndDataOnScratch() {
    ServiceSpec spec = prometheus(List.of(), Optional.empty(), Map.of("PROMETHEUS_RETENTION_TIME", "2d"));

    JobSpec job = kind.plan(spec, "prometheus_0a1b2c3d", new FakeContext());

    assertThat(job.serviceId()).isEqualTo("prometheus_0a1b2c3d");
    assertThat(job.argv()).containsExactly("/opt/bin/prometheus",
        "--config.file={service_dir}/prometheus.yml",
        "--storage.tsdb.path={scratch_dir}",
        "--storage.tsdb.retention.time=2d",
        "--web.listen-address={listen_address}:{port}");
    assertThat(job.requestedPort()).isEqualTo(9090);
    assertThat(job.files()).containsOnlyKeys("prometheus.yml");
    assertThat(job.files().get("prometheus.yml")).contains("- \"localhost:{port}\"");
  }

  @Test
  void planDefaultsRetentionTo15Days() {
    JobSpec job = kind.plan(prometheus(List.of(), Optional.empty(), Map.of()), "prometheus_0a1b2c3d",
        new FakeContext());

    assertThat(job.argv()).contains("--storage.tsdb.retention.time=15d");
  }

  @Test
  void planRejectsABadRetention() {
    ServiceSpec spec = prometheus(List.of(), Optional.empty(), Map.of("PROMETHEUS_RETENTION_TIME", "forever"));

    assertThatThrownBy(() -> kind.plan(spec, "prometheus_0a1b2c3d", new FakeContext()))
        .isInstanceOf(InputException.class)
        .hasMessage("service.environment.PROMETHEUS_RETENTION_TIME: expected a Prometheus duration such as"
            + " 15d or 12h, found 'forever'");
  }

  @Test
  void defaultsAreTheSpecsOnes() {
    assertThat(kind.name()).isEqualTo("prometheus");
    assertThat(kind.defaultPort()).isEqualTo(9090);
    assertThat(kind.defaultHealthEndpoint()).contains("/-/ready");
  }
}
