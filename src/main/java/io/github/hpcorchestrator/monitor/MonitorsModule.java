package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.OrchestratorException;
import io.github.hpcorchestrator.config.Limits;
import io.github.hpcorchestrator.prometheus.NotReachableException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.report.MetricsFiles;
import io.github.hpcorchestrator.report.OutputLocation;
import io.github.hpcorchestrator.report.RangeQueries;
import io.github.hpcorchestrator.report.ReportCollector;
import io.github.hpcorchestrator.report.ReportData;
import io.github.hpcorchestrator.report.ReportWindow;
import io.github.hpcorchestrator.report.ReportWriter;
import io.github.hpcorchestrator.report.SavedMetrics;
import io.github.hpcorchestrator.report.SavedMetricsWriter;
import io.github.hpcorchestrator.report.ScrapeInterval;
import io.github.hpcorchestrator.report.WindowSave;
import io.github.hpcorchestrator.service.ServersModule;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.status.MonitorStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec's MonitorsModule: Prometheus instances run as services, and this module starts them,
 * reports on them and queries them. Queries reach Prometheus through the backend's shell, so the
 * same call works on this machine and through the cluster's login node.
 */
public final class MonitorsModule {
  /** The monitor kinds that can be started. */
  public static final List<String> AVAILABLE = List.of("prometheus");

  /** Name of the saved range export of a monitor's session window, in its metrics folder (gzip JSON). */
  public static final String SAVED_METRICS = "session-metrics.json.gz";

  /** Name of the uncompressed export of earlier versions, still read when no {@link #SAVED_METRICS} is there. */
  public static final String LEGACY_SAVED_METRICS = "session-metrics.json";

  /** The PromQL of every report metric: what a report reads back from a saved window. */
  private static final List<String> REPORT_QUERIES = ReportCollector.METRICS.stream().map(m -> m.promql()).toList();

  private final ServersModule servers;
  private final Path metricsDir;
  private final Clock clock;
  private final Limits limits;
  private final MetricsFiles files = new MetricsFiles();

  /**
   * @param metricsDir where collected metrics, session exports and reports go (one folder per monitor)
   * @param limits bound every request to a monitor and every answer it brings
   */
  public MonitorsModule(ServersModule servers, Path metricsDir, Clock clock, Limits limits) {
    this.servers = servers;
    this.metricsDir = metricsDir;
    this.clock = clock;
    this.limits = limits;
  }

  /** Starts a Prometheus from {@code recipe}, waits until it scraped its targets, returns its ID. */
  public String startMonitor(ServiceSpec recipe) {
    requireMonitorSpec(recipe);
    return servers.startService(recipe);
  }

  /**
   * Stops a monitor; false if it had already ended. Before Prometheus stops, the session window is
   * saved (range export of the report's metrics and of every series of its targets) and the report
   * is written, so nothing measured is lost; a monitor that already ended gets its report from what
   * was saved before.
   *
   * @param progress told what was saved, or why not
   */
  public boolean stopMonitor(String monitorId, java.util.function.Consumer<String> progress) {
    ServiceStatus s = monitor(monitorId);
    boolean live = s.endpoint().isPresent();
    Path saved = savedMetrics(s.serviceId());
    if (live) {
      try {
        progress.accept("saved the session's metrics to " + saveSessionMetrics(s));
      } catch (NotReachableException e) {
        // Asking again for the report would only wait as long again: it comes from what was saved.
        live = false;
        progress.accept("could not save the session's metrics: " + e.getMessage()
            + (Files.exists(saved) ? "; the report uses " + saved + " from before" : ""));
      } catch (OrchestratorException e) {
        progress.accept("could not save the session's metrics: " + e.getMessage());
      } catch (RuntimeException e) {
        // Whatever went wrong with the save, the monitor must still stop; the line says what it was.
        progress.accept("could not save the session's metrics: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    } else {
      progress.accept("could not save the session's metrics: monitor " + s.serviceId() + " is " + s.state()
          + (Files.exists(saved) ? "; the report uses " + saved + " from before" : "; nothing was saved before"));
    }
    try {
      progress.accept("wrote the report " + constructReport(s, Optional.empty(), live));
    } catch (OrchestratorException e) {
      progress.accept("could not write the report: " + e.getMessage());
    }
    return servers.stopService(s.serviceId());
  }

  /** {@link #stopMonitor(String, java.util.function.Consumer)} without progress lines. */
  public boolean stopMonitor(String monitorId) {
    return stopMonitor(monitorId, line -> { });
  }

  /** The folder of one monitor's files under the metrics folder. */
  public Path monitorDir(String monitorId) {
    return metricsDir.resolve(monitor(monitorId).serviceId());
  }

  /** Runs a range query on the monitor. */
  public QueryResult queryRange(String monitorId, String promql, Instant start, Instant end, Duration step) {
    return client(monitorId).queryRange(promql, start, end, step);
  }

  /** The spec's show_metrics: an instant query, {@code up} by default. */
  public QueryResult showMetrics(String monitorId, Optional<String> promql) {
    return queryMetrics(monitorId, promql.orElse("up"));
  }

  /**
   * The spec's collect_metrics_to_file: runs {@code promql} (an instant query, or a range query
   * over {@code range}) and writes the result atomically to {@code outputFile} under the metrics
   * folder (an absolute path is used as it is; a relative one may not leave the folder). Returns
   * the file written.
   */
  public Path collectMetricsToFile(String monitorId, String promql, String outputFile, MetricsFiles.Format format,
      Optional<ReportWindow> range) {
    // Checked before the query: a bad path costs nothing and leaves nothing.
    Path file = OutputLocation.resolve(metricsDir, outputFile);
    QueryResult result = range.isPresent()
        ? queryRange(monitorId, promql, range.get().start(), range.get().end(), range.get().step())
        : queryMetrics(monitorId, promql);
    files.write(file, result, format);
    return file;
  }

  /** The monitor's window: from its start to its end (or now while it runs). */
  public ReportWindow window(String monitorId) {
    return window(monitor(monitorId));
  }

  private ReportWindow window(ServiceStatus s) {
    Instant start = s.record().startedAt().orElse(s.record().submittedAt());
    Instant end = s.record().endedAt().orElse(clock.instant());
    return ReportWindow.covering(start, end.isAfter(start) ? end : start.plusSeconds(1));
  }

  /** The window at the step its Prometheus scrapes at: a finer one repeats samples, a coarser one drops them. */
  private ReportWindow window(ServiceStatus s, PrometheusClient client) {
    ReportWindow fine = window(s);
    return ScrapeInterval.of(client).map(i -> ReportWindow.covering(fine.start(), fine.end(), i)).orElse(fine);
  }

  /** The saved window of a monitor: the compressed file, or an older plain one if only that is there. */
  private Path savedMetrics(String monitorId) {
    Path dir = metricsDir.resolve(monitorId);
    Path legacy = dir.resolve(LEGACY_SAVED_METRICS);
    return !Files.exists(dir.resolve(SAVED_METRICS)) && Files.exists(legacy) ? legacy : dir.resolve(SAVED_METRICS);
  }

  /**
   * Saves the monitor's window: every report metric and every series of every target job, as
   * range queries at its scrape interval, into {@code <metrics>/<monitor>/session-metrics.json.gz}.
   * Returns the file.
   */
  public Path saveSessionMetrics(String monitorId) {
    return saveSessionMetrics(monitor(monitorId));
  }

  // The helpers below take the status observed once, so one stop or report costs one refresh.
  private Path saveSessionMetrics(ServiceStatus s) {
    PrometheusClient client = client(s);
    List<String> jobs = client.activeTargets().stream().map(TargetHealth::job).distinct().sorted().toList();
    Path file = metricsDir.resolve(s.serviceId()).resolve(SAVED_METRICS);
    new WindowSave(client).save(file, window(s, client), REPORT_QUERIES, jobs);
    return file;
  }

  /**
   * The spec's construct_report: JSON and a self-contained HTML page with plots of the monitor's
   * window, from the live Prometheus when it runs, else from its saved session metrics. Returns the
   * files written ({@code base}.json and {@code base}.html; default {@code <metrics>/<monitor>/report};
   * a relative {@code base} is under the metrics folder and may not leave it).
   */
  public List<Path> constructReport(String monitorId, Optional<Path> base) {
    Optional<Path> target = base.map(b -> OutputLocation.resolve(metricsDir, b.toString()));
    ServiceStatus s = monitor(monitorId);
    return constructReport(s, target, s.endpoint().isPresent());
  }

  private List<Path> constructReport(ServiceStatus s, Optional<Path> base, boolean live) {
    MonitorStatus status = monitorStatus(s);
    Path target = base.orElse(metricsDir.resolve(s.serviceId()).resolve("report"));
    ReportData data;
    if (live) {
      PrometheusClient client = client(s);
      Map<String, QueryResult> answers = new LinkedHashMap<>();
      ReportWindow window = window(s, client);
      data = new ReportCollector(((RangeQueries) client::queryRange).recordingInto(answers), clock)
          .collect(s.serviceId(), status, client.activeTargets(), window);
      Path saved = savedMetrics(s.serviceId());
      if (!Files.exists(saved)) {
        SavedMetricsWriter.write(saved, window, answers);
      }
    } else {
      Path saved = savedMetrics(s.serviceId());
      if (!Files.exists(saved)) {
        throw new OperationFailedException("monitor " + s.serviceId() + (s.endpoint().isEmpty()
            ? " is " + s.state() : " does not answer") + " and nothing was saved for it (" + saved + " does not exist)");
      }
      SavedMetrics metrics = SavedMetrics.read(saved, java.util.Set.copyOf(REPORT_QUERIES), limits.maxAnswerBytes());
      data = new ReportCollector(metrics, clock).collect(s.serviceId(), status, List.of(), metrics.window());
    }
    return new ReportWriter().write(data, target);
  }

  /** The monitor's status in the spec's fields. */
  public MonitorStatus checkMonitorStatus(String monitorId) {
    return monitorStatus(monitor(monitorId));
  }

  private static MonitorStatus monitorStatus(ServiceStatus s) {
    return new MonitorStatus(s.serviceId(), s.state().name().toLowerCase(java.util.Locale.ROOT),
        s.record().jobId(),
        s.record().node().isEmpty() ? List.of() : Arrays.asList(s.record().node().split(",")),
        epochSeconds(s.record().submittedAt()), s.record().startedAt().map(MonitorsModule::epochSeconds));
  }

  /** The Prometheus URL as its node sees it (e.g. {@code http://node2:9090}), if it runs. */
  public Optional<String> getMonitorEndpoint(String monitorId) {
    return monitor(monitorId).endpoint().map(ServiceEndpoint::api);
  }

  /** Runs an instant PromQL query on the monitor, beside the check of who answers ({@link QueryRoute#ask}). */
  public QueryResult queryMetrics(String monitorId, String promql) {
    return new QueryRoute(servers, limits, this::monitor).ask(monitorId, c -> c.query(promql));
  }

  /**
   * The targets of every running monitor among {@code monitors}, all asked at once and each
   * within {@code limits.status_timeout}, keyed by monitor ID.
   */
  public Map<String, TargetProbes.Probe> probeTargets(List<ServiceStatus> monitors) {
    Map<String, PrometheusClient> clients = new LinkedHashMap<>();
    Map<String, TargetProbes.Probe> unreachable = new LinkedHashMap<>();
    for (ServiceStatus s : monitors) {
      if (s.record().isMonitor() && s.endpoint().isPresent()) {
        try {
          clients.put(s.serviceId(), client(s).withLimits(limits.statusTimeout(), limits.maxAnswerBytes()));
        } catch (OrchestratorException e) {
          unreachable.put(s.serviceId(), TargetProbes.Probe.failed(e.getMessage()));
        }
      }
    }
    Map<String, TargetProbes.Probe> probes = TargetProbes.probe(clients, limits.statusTimeout());
    probes.putAll(unreachable);
    return probes;
  }

  /** The monitor's scrape targets and their health. */
  public List<TargetHealth> targets(String monitorId) {
    return client(monitorId).activeTargets();
  }

  /** IDs of monitors that are pending or running. */
  public List<String> listRunningMonitors() {
    return servers.listRunningServices().stream().filter(s -> s.record().isMonitor())
        .map(ServiceStatus::serviceId).toList();
  }

  /** Monitor kinds that can be started. */
  public List<String> listAvailableMonitors() {
    return AVAILABLE;
  }

  /**
   * A client for the monitor's HTTP API, reached through the backend's shell: at the endpoint state
   * knows when the Prometheus there says it is this monitor, else where a status refresh finds it.
   */
  public PrometheusClient client(String monitorId) {
    return new QueryRoute(servers, limits, this::monitor).client(monitorId);
  }

  private PrometheusClient client(ServiceStatus s) {
    ServiceEndpoint endpoint = s.endpoint().orElseThrow(() -> new OperationFailedException(
        "monitor " + s.serviceId() + " is " + s.state() + ", not running: nothing to query"));
    InetSocketAddress address = servers.shell().reach(endpoint.host(), endpoint.port());
    return PrometheusClient.at(address.getHostString(), address.getPort(), servers.credentials(s.serviceId()))
        .withLimits(limits.requestTimeout(), limits.maxAnswerBytes());
  }

  private ServiceStatus monitor(String typedId) {
    ServiceStatus s = servers.checkServiceStatus(typedId);
    if (!s.record().isMonitor()) {
      throw new InputException("service " + s.serviceId() + " is not a monitor (Prometheus); see --list-monitors");
    }
    return s;
  }

  private static void requireMonitorSpec(ServiceSpec spec) {
    if (!AVAILABLE.contains(spec.name())) {
      throw new InputException("a monitor recipe must describe a service named prometheus, found '"
          + spec.name() + "'");
    }
  }

  private static double epochSeconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }
}
