package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.PrometheusConfig;
import io.github.hpcorchestrator.prometheus.PrometheusConfigWriter;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import io.github.hpcorchestrator.prometheus.PromtoolCheck;
import io.github.hpcorchestrator.prometheus.PromtoolResult;
import io.github.hpcorchestrator.prometheus.ScrapeConfig;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.recipe.MonitoringTarget;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Prometheus as a service: the orchestrator writes its prometheus.yml (self-scrape plus one job
 * per monitoring target) into the service's own folder, next to its own TSDB.
 */
public final class PrometheusKind implements ServiceKind {
  /** Scrape interval when the recipe sets none, as in the spec's generated config. */
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(15);
  /** Retention when PROMETHEUS_RETENTION_TIME is not set, as the spec documents. */
  public static final String DEFAULT_RETENTION = "15d";
  static final String CONFIG_FILE = "prometheus.yml";

  private final PrometheusConfigWriter writer = new PrometheusConfigWriter();
  private final PromtoolCheck promtool;

  public PrometheusKind(PromtoolCheck promtool) {
    this.promtool = promtool;
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public int defaultPort() {
    return 9090;
  }

  @Override
  public Optional<String> defaultHealthEndpoint() {
    return Optional.of("/-/ready");
  }

  @Override
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    String config = renderConfig(spec, context);
    // promtool judges the config with the requested port in place of the token: the port the job
    // really gets is only known when it starts, and a config promtool rejects is never started.
    PromtoolResult check = promtool.check(config.replace(JobSpec.PORT_TOKEN,
        Integer.toString(requestedPort(spec))));
    if (check.outcome() == PromtoolResult.Outcome.INVALID) {
      throw new InputException("the Prometheus config generated from " + spec.name()
          + " is invalid (promtool check config): " + check.output().strip().replace('\n', ' '));
    }
    String retention = spec.environment().getOrDefault("PROMETHEUS_RETENTION_TIME", DEFAULT_RETENTION);
    try {
      PrometheusDuration.parse(retention);
    } catch (IllegalArgumentException e) {
      throw new InputException("service.environment.PROMETHEUS_RETENTION_TIME: expected a Prometheus"
          + " duration such as 15d or 12h, found '" + retention + "'");
    }
    List<String> argv = new ArrayList<>();
    argv.add(spec.command().orElseGet(() -> context.executable("prometheus")));
    argv.add("--config.file=" + JobSpec.DIR_TOKEN + "/" + CONFIG_FILE);
    argv.add("--storage.tsdb.path=" + JobSpec.SCRATCH_TOKEN);
    argv.add("--storage.tsdb.retention.time=" + retention);
    argv.add("--web.listen-address=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
    argv.addAll(spec.args());
    Map<String, String> files = new LinkedHashMap<>();
    files.put(CONFIG_FILE, config);
    return new JobSpec(serviceId, argv, spec.environment(), requestedPort(spec), spec.resources(),
        spec.container(), files);
  }

  @Override
  public boolean ready(InetSocketAddress address, Consumer<String> progress) {
    PrometheusClient client = PrometheusClient.of(
        URI.create("http://" + address.getHostString() + ":" + address.getPort()));
    List<TargetHealth> targets = client.activeTargets();
    return !targets.isEmpty() && targets.stream().allMatch(t -> t.lastScrape().isPresent());
  }

  /** The prometheus.yml for {@code spec}, with the port token where its own port goes. */
  public String renderConfig(ServiceSpec spec, LaunchContext context) {
    Duration interval = spec.scrapeInterval().map(PrometheusDuration::parse).orElse(DEFAULT_SCRAPE_INTERVAL);
    List<ScrapeConfig> jobs = new ArrayList<>();
    for (MonitoringTarget target : spec.monitoringTargets()) {
      jobs.add(ScrapeConfig.ofStatic(target.jobName(), List.of(context.scrapeAddress(target)))
          .withMetricsPath(target.metricsPath()));
    }
    PrometheusConfig config = PrometheusConfig.forService("localhost:" + JobSpec.PORT_TOKEN, interval, jobs);
    return writer.write(config);
  }
}
