package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.Sidecar;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.DiscoverySpec;
import io.github.hpcorchestrator.prometheus.FileSdConfig;
import io.github.hpcorchestrator.prometheus.FileSdWriter;
import io.github.hpcorchestrator.prometheus.GlobalConfig;
import io.github.hpcorchestrator.prometheus.InstanceIdentity;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.PrometheusConfig;
import io.github.hpcorchestrator.prometheus.PrometheusConfigWriter;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.prometheus.ScrapeAuth;
import io.github.hpcorchestrator.prometheus.WebConfigWriter;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import io.github.hpcorchestrator.prometheus.PromtoolCheck;
import io.github.hpcorchestrator.prometheus.PromtoolResult;
import io.github.hpcorchestrator.prometheus.ScrapeConfig;
import io.github.hpcorchestrator.prometheus.StaticConfig;
import io.github.hpcorchestrator.prometheus.TargetSelector;
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
  static final String DISCOVERY_FILE = "discovery.json";
  static final String TARGETS_DIR = "targets";
  static final String DISCOVERY_MAIN = "io.github.hpcorchestrator.monitor.DiscoveryMain";

  static final String WEB_CONFIG = "web.yml";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";
  static final String SCRAPE_PASSWORD = "scrape.password";

  private final PrometheusConfigWriter writer = new PrometheusConfigWriter();
  private final PromtoolCheck promtool;
  private final java.util.function.Function<String, Optional<PrometheusCredentials>> credentials;

  /** A kind without access to stored credentials (tests; monitors without auth). */
  public PrometheusKind(PromtoolCheck promtool) {
    this(promtool, id -> Optional.empty());
  }

  /**
   * @param credentials the stored credentials of a monitor, by service ID, for its readiness check
   */
  public PrometheusKind(PromtoolCheck promtool,
      java.util.function.Function<String, Optional<PrometheusCredentials>> credentials) {
    this.promtool = promtool;
    this.credentials = credentials;
  }

  /** Whether {@code spec} runs with TLS and basic auth: the recipe's auth, else on for SLURM. */
  static boolean auth(ServiceSpec spec, String backend) {
    return spec.auth().orElse(backend.equals("slurm"));
  }

  @Override
  public Optional<String> healthEndpoint(ServiceSpec spec, String backend) {
    // With auth, a plain HTTP probe cannot pass; ready() checks /-/ready with the credentials.
    return auth(spec, backend) ? Optional.empty() : defaultHealthEndpoint();
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
  public boolean runsWithoutContainer() {
    return true;
  }

  @Override
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    Optional<DiscoverySpec> discovery = discovery(spec, serviceId, context);
    boolean auth = auth(spec, context.backend());
    PrometheusCredentials creds = auth ? context.newCredentials() : null;
    String config = renderConfig(spec, serviceId, context, auth);
    // promtool judges the config with the requested port in place of the token: the port the job
    // really gets is only known when it starts, and a config promtool rejects is never started.
    PromtoolResult check = checkConfig(config, requestedPort(spec), creds);
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
    argv.add(spec.command().orElseGet(() -> context.program(spec, "prometheus")));
    argv.add("--config.file=" + JobSpec.DIR_TOKEN + "/" + CONFIG_FILE);
    argv.add("--storage.tsdb.path=" + JobSpec.SCRATCH_TOKEN);
    argv.add("--storage.tsdb.retention.time=" + retention);
    argv.add("--web.listen-address=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
    argv.addAll(spec.args());
    Map<String, String> files = new LinkedHashMap<>();
    files.put(CONFIG_FILE, config);
    if (creds != null) {
      argv.add("--web.config.file=" + JobSpec.DIR_TOKEN + "/" + WEB_CONFIG);
      files.put(WEB_CONFIG, new WebConfigWriter().write(JobSpec.DIR_TOKEN + "/" + CERT, JobSpec.DIR_TOKEN + "/" + KEY,
          Map.of(creds.username(), PrometheusCredentials.bcrypt(creds.password()),
              creds.scrapeUsername(), PrometheusCredentials.bcrypt(creds.scrapePassword()))));
      files.put(CERT, creds.certPem());
      files.put(KEY, creds.keyPem());
      files.put(SCRAPE_PASSWORD, creds.scrapePassword());
    }
    JobSpec job = new JobSpec(serviceId, argv, spec.environment(), requestedPort(spec), spec.resources(),
        spec.container(), files);
    if (discovery.isPresent()) {
      // The first target files are written now, so Prometheus scrapes the services that already
      // run from its first scrape on; the discovery sidecar keeps them current from then on.
      job = job.withFile(DISCOVERY_FILE, discovery.get().toJson());
      FileSdWriter fileSd = new FileSdWriter();
      Map<String, List<StaticConfig>> groups = discovery.get().groups(context.runningServices());
      for (TargetSelector selector : discovery.get().selectors()) {
        job = job.withFile(TARGETS_DIR + "/" + selector.jobName() + ".json",
            fileSd.write(groups.getOrDefault(selector.jobName(), List.of())));
      }
      List<String> argvDiscovery = new ArrayList<>(context.javaCommand(DISCOVERY_MAIN));
      argvDiscovery.add(JobSpec.DIR_TOKEN + "/" + DISCOVERY_FILE);
      job = job.withSidecar(new Sidecar("discovery", argvDiscovery, Map.of(), false));
    }
    return job;
  }

  @Override
  public boolean readyConnects() {
    return true;
  }

  @Override
  public boolean ready(String serviceId, InetSocketAddress address, Consumer<String> progress) {
    PrometheusClient client = PrometheusClient.at(address.getHostString(), address.getPort(),
        credentials.apply(serviceId));
    if (!client.ready()) {
      return false;
    }
    List<TargetHealth> targets = client.activeTargets();
    return !targets.isEmpty() && targets.stream().allMatch(t -> t.lastScrape().isPresent());
  }

  /**
   * promtool's verdict on {@code config} as the job will see it: tokens filled in, and the files
   * the config names (certificate, password file) present in a scratch folder.
   */
  private PromtoolResult checkConfig(String config, int port, PrometheusCredentials creds) {
    java.nio.file.Path dir = null;
    try {
      dir = java.nio.file.Files.createTempDirectory("hpco-promtool");
      if (creds != null) {
        java.nio.file.Files.writeString(dir.resolve(CERT), creds.certPem());
        java.nio.file.Files.writeString(dir.resolve(SCRAPE_PASSWORD), creds.scrapePassword());
      }
      return promtool.check(config.replace(JobSpec.PORT_TOKEN, Integer.toString(port))
          .replace(JobSpec.DIR_TOKEN, dir.toString()));
    } catch (java.io.IOException e) {
      return new PromtoolResult(PromtoolResult.Outcome.FAILED, e.getMessage());
    } finally {
      if (dir != null) {
        try (var files = java.nio.file.Files.list(dir)) {
          for (java.nio.file.Path f : files.toList()) {
            java.nio.file.Files.deleteIfExists(f);
          }
          java.nio.file.Files.deleteIfExists(dir);
        } catch (java.io.IOException ignored) {
          // Only a scratch copy of the check's inputs is left behind.
        }
      }
    }
  }

  /** The prometheus.yml for {@code spec}, with the port token where its own port goes. */
  public String renderConfig(ServiceSpec spec, String serviceId, LaunchContext context) {
    return renderConfig(spec, serviceId, context, false);
  }

  /** As {@link #renderConfig(ServiceSpec, String, LaunchContext)}; with auth the self-scrape logs in. */
  String renderConfig(ServiceSpec spec, String serviceId, LaunchContext context, boolean auth) {
    Duration interval = scrapeInterval(spec);
    List<ScrapeConfig> jobs = new ArrayList<>();
    for (MonitoringTarget target : spec.monitoringTargets()) {
      ScrapeConfig job;
      if (target.host().isPresent()) {
        job = ScrapeConfig.ofStatic(target.jobName(), List.of(target.host().get() + ":" + target.port().orElseThrow()));
      } else {
        job = fileSd(target.jobName(), interval);
        // The service's sidecar exporters, if it has (or will have) any, as jobs of their own.
        for (String exporter : ServiceSpec.EXPORTERS) {
          jobs.add(fileSd(target.jobName() + "-" + exporter, interval));
        }
      }
      jobs.add(job.withMetricsPath(target.metricsPath()));
    }
    java.util.Set<String> names = new java.util.HashSet<>(List.of(PrometheusConfig.SELF_JOB));
    for (ScrapeConfig job : jobs) {
      if (!names.add(job.jobName())) {
        throw new InputException("service.monitoring_targets: job name '" + job.jobName() + "' is used twice"
            + " (a target's exporters are scraped as <job_name>-probe, -node, -gpu and -ollama)");
      }
    }
    PrometheusConfig config = PrometheusConfig.forService("localhost:" + JobSpec.PORT_TOKEN, interval, jobs);
    // Its own ID in the config lets a query check cheaply that the Prometheus it reaches is this one.
    config = new PrometheusConfig(new GlobalConfig(interval, interval, InstanceIdentity.labels(serviceId)),
        config.scrapeConfigs());
    if (auth) {
      List<ScrapeConfig> all = new ArrayList<>(config.scrapeConfigs());
      all.set(0, all.get(0).withAuth(new ScrapeAuth("self-scrape", JobSpec.DIR_TOKEN + "/" + SCRAPE_PASSWORD,
          JobSpec.DIR_TOKEN + "/" + CERT, "localhost")));
      config = new PrometheusConfig(config.global(), all);
    }
    return writer.write(config);
  }

  private static ScrapeConfig fileSd(String jobName, Duration interval) {
    return ScrapeConfig.ofFileSd(jobName,
        new FileSdConfig(List.of(JobSpec.DIR_TOKEN + "/" + TARGETS_DIR + "/" + jobName + ".json"), Optional.of(interval)));
  }

  private static Duration scrapeInterval(ServiceSpec spec) {
    return spec.scrapeInterval().map(PrometheusDuration::parse).orElse(DEFAULT_SCRAPE_INTERVAL);
  }

  /**
   * The discovery loop's spec for the targets that follow services (by name or session), or empty
   * when every target is fixed.
   */
  static Optional<DiscoverySpec> discovery(ServiceSpec spec, String serviceId, LaunchContext context) {
    List<TargetSelector> selectors = new ArrayList<>();
    for (MonitoringTarget t : spec.monitoringTargets()) {
      if (t.followsServices()) {
        String id = null;
        if (t.serviceId().isPresent()) {
          try {
            id = context.runningService(t.serviceId().get()).serviceId();
          } catch (InputException e) {
            throw new InputException("monitoring target '" + t.jobName() + "': " + e.getMessage());
          }
        }
        selectors.add(new TargetSelector(t.jobName(), id, t.service().orElse(null), t.session(),
            t.port().orElse(null), null));
        for (String exporter : ServiceSpec.EXPORTERS) {
          selectors.add(new TargetSelector(t.jobName() + "-" + exporter, id, t.service().orElse(null), t.session(),
              null, exporter));
        }
      }
    }
    if (selectors.isEmpty()) {
      return Optional.empty();
    }
    int seconds = (int) Math.max(1, scrapeInterval(spec).toSeconds());
    return Optional.of(new DiscoverySpec(context.backend(), context.schedulerRoot(), serviceId, context.sessionId(),
        seconds, JobSpec.DIR_TOKEN + "/" + TARGETS_DIR, selectors));
  }
}
