package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.QuickstartDemo;
import io.github.hpcorchestrator.SessionStart;
import io.github.hpcorchestrator.SystemStatus;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.monitor.MonitorStatus;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.QueryResultTable;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.report.MetricsFiles;
import io.github.hpcorchestrator.report.ReportWindow;
import io.github.hpcorchestrator.report.StatusView;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The orchestrator's command line: the spec's flags, one action per call. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false, usageHelpAutoWidth = true,
    description = "Deploys services and Prometheus locally or on a SLURM cluster, finds, monitors, queries and stops them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:runtime failure (a service failed, Prometheus unreachable, ...)",
        "2:usage or input error (bad recipe, unknown ID, ...)"})
public final class OrchestratorCommand implements Callable<Integer> {

  /** Exactly one of these per call. */
  static final class Action {
    @Option(names = "--recipe", paramLabel = "FILE", description = "Start the services of a recipe (a session).")
    Path recipe;

    @Option(names = "--status", description = "Show every service and monitor with state, elapsed time and node.")
    boolean status;

    @Option(names = "--service-endpoint", paramLabel = "ID", description = "Show where a service answers (host, API, UI).")
    String serviceEndpoint;

    @Option(names = "--query-service-metrics", arity = "2", paramLabel = "ID QUERY",
        description = "Run a PromQL query on the Prometheus service ID.")
    List<String> queryServiceMetrics;

    @Option(names = "--query-metrics", arity = "2", paramLabel = "MONITOR_ID QUERY",
        description = "Run a PromQL query on a monitor (same as --query-service-metrics).")
    List<String> queryMetrics;

    @Option(names = "--stop-service", paramLabel = "ID", description = "Stop a service.")
    String stopService;

    @Option(names = "--stop-all-services", description = "Stop every running service and monitor.")
    boolean stopAll;

    @Option(names = "--list-services", description = "List the recipes available in the recipes folder.")
    boolean listServices;

    @Option(names = "--list-running-services", description = "List services that are pending or running.")
    boolean listRunning;

    @Option(names = "--list-monitors", description = "List running monitors and the monitor kinds available.")
    boolean listMonitors;

    @Option(names = "--monitor-status", paramLabel = "ID", description = "Show a monitor's status and targets.")
    String monitorStatus;

    @Option(names = "--stop-monitor", paramLabel = "ID", description = "Stop a monitor.")
    String stopMonitor;

    @Option(names = "--monitor-endpoint", paramLabel = "ID", description = "Show a monitor's API and UI URLs.")
    String monitorEndpoint;

    @Option(names = "--clear-state", description = "Forget services that have ended.")
    boolean clearState;

    @Option(names = "--stop-session", paramLabel = "SESSION_ID",
        description = "Stop every service of a session (monitors first, saving their metrics and report).")
    String stopSession;

    @Option(names = "--collect-metrics", arity = "3", paramLabel = "ID QUERY FILE",
        description = "Run a query on a monitor and save the result under the metrics folder (see --format, --start).")
    List<String> collectMetrics;

    @Option(names = "--report", arity = "1..2", paramLabel = "ID [FILE]",
        description = "Write a monitor's report: FILE.json and FILE.html with plots (default: metrics/ID/report).")
    List<String> report;

    @Option(names = "--results", paramLabel = "ID", description = "Show a benchmark client's summary (metrics/ID/).")
    String results;

    @Option(names = "--logs", paramLabel = "ID",
        description = "Print a service's or monitor's output (see --tail, --follow, --sidecar).")
    String logs;

    @Option(names = "--demo", description = "Start a node exporter and a Prometheus watching it, query 'up', stop both.")
    boolean demo;

    @Option(names = "--disconnect", description = "End the held SSH connection (kept for hpc.persist after a call).")
    boolean disconnect;
  }

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Actions (one per call):%n")
  Action action;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: config.yaml at the orchestrator's root or in the current folder).")
  Path configFile;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--dry-run", description = "With --recipe: print the job scripts and configs, start nothing.")
  boolean dryRun;

  @Option(names = "--no-wait", description = "With --recipe: return once submitted, without waiting for readiness.")
  boolean noWait;

  @Option(names = "--tunnel", paramLabel = "LOCAL_PORT",
      description = "With --service-endpoint or --monitor-endpoint: forward LOCAL_PORT on this machine to the"
          + " service through the SSH connection until Ctrl-C (for a browser).")
  Integer tunnel;

  @Option(names = "--keep", description = "With --demo: leave the services running.")
  boolean keep;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "With --collect-metrics: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  MetricsFiles.Format format;

  @Option(names = "--start", paramLabel = "TIME",
      description = "With a query or --collect-metrics: make it a range query from TIME (now, -15m, epoch seconds, RFC 3339).")
  String start;

  @Option(names = "--end", paramLabel = "TIME", description = "End of a range query (default: now).")
  String end;

  @Option(names = "--step", paramLabel = "DURATION",
      description = "Step of a range query, e.g. 15s (default: at most 1000 points over the range).")
  String step;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "100",
      description = "With --logs: the last N lines (default: ${DEFAULT-VALUE}).")
  int tail;

  @Option(names = "--follow", description = "With --logs: keep printing what it writes until the job ends or Ctrl-C.")
  boolean follow;

  @Option(names = "--sidecar", paramLabel = "NAME", description = "With --logs: a sidecar's log (e.g. probe) instead.")
  String sidecar;

  @Option(names = {"-v", "--verbose"}, description = "Print more detail, including causes of errors.")
  boolean verbose;

  private final PrintWriter out;
  private final PrintWriter err;

  OrchestratorCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  boolean verbose() {
    return verbose;
  }

  @Override
  public Integer call() throws IOException {
    OrchestratorConfig config = loadConfig();
    if (action.listServices) {
      return listRecipes(config);
    }
    if (action.disconnect) {
      return HeldConnectionAction.disconnect(config, this::progress);
    }
    Recipe recipe = action.recipe == null ? null : new io.github.hpcorchestrator.recipe.RecipeLoader().load(action.recipe);
    try (BenchmarkOrchestrator orchestrator = new BenchmarkOrchestrator(config, this::progress)) {
      if (recipe != null) {
        return startRecipe(orchestrator, recipe);
      }
      if (action.status) {
        return status(orchestrator);
      }
      if (action.results != null) {
        return ClientResultsAction.run(orchestrator, action.results, output, out);
      }
      if (action.serviceEndpoint != null) {
        return endpoint(orchestrator, action.serviceEndpoint, false);
      }
      if (action.monitorEndpoint != null) {
        return endpoint(orchestrator, action.monitorEndpoint, true);
      }
      if (action.queryServiceMetrics != null || action.queryMetrics != null) {
        List<String> q = action.queryServiceMetrics != null ? action.queryServiceMetrics : action.queryMetrics;
        return query(orchestrator, q.get(0), q.get(1));
      }
      if (action.stopSession != null) {
        List<String> stopped = orchestrator.stopSession(action.stopSession, this::progress);
        print(() -> "Stopped session " + action.stopSession + (stopped.isEmpty() ? " (nothing was running)"
                : ": " + String.join(", ", stopped)) + "\n",
            () -> object().<ObjectNode>put("session_id", action.stopSession).set("stopped", array(stopped)));
        return 0;
      }
      if (action.collectMetrics != null) {
        List<String> a = action.collectMetrics;
        Path file = orchestrator.monitors().collectMetricsToFile(a.get(0), a.get(1), a.get(2), format, range());
        print(() -> "Wrote " + file + "\n", () -> object().put("file", file.toString()).put("format", format.name()));
        return 0;
      }
      if (action.report != null) {
        Optional<Path> base = action.report.size() > 1 ? Optional.of(Path.of(action.report.get(1))) : Optional.empty();
        List<Path> written = orchestrator.monitors().constructReport(action.report.get(0), base);
        print(() -> "Wrote " + String.join(" and ", written.stream().map(Path::toString).toList()) + "\n",
            () -> object().set("files", array(written.stream().map(Path::toString).toList())));
        return 0;
      }
      if (action.stopService != null || action.stopMonitor != null) {
        return stop(orchestrator, action.stopService != null ? action.stopService : action.stopMonitor,
            action.stopMonitor != null);
      }
      if (action.stopAll) {
        List<String> stopped = orchestrator.stopAll(this::progress);
        print(() -> stopped.isEmpty() ? "No running services.\n" : "Stopped " + String.join(", ", stopped) + "\n",
            () -> object().set("stopped", array(stopped)));
        return 0;
      }
      if (action.listRunning) {
        List<ServiceStatus> running = orchestrator.servers().listRunningServices();
        StatusView view = new StatusView(Instant.now());
        print(() -> running.isEmpty() ? "No running services.\n"
                : String.join("\n", running.stream().map(s -> s.serviceId() + "  " + s.state()
                    + "  " + s.record().node()).toList()) + "\n",
            () -> {
              ArrayNode rows = JsonNodeFactory.instance.arrayNode();
              running.forEach(s -> rows.add(view.row(s)));
              return object().set("services", rows);
            });
        return 0;
      }
      if (action.listMonitors) {
        List<String> running = orchestrator.monitors().listRunningMonitors();
        List<String> available = orchestrator.monitors().listAvailableMonitors();
        print(() -> "Running monitors: " + (running.isEmpty() ? "(none)" : String.join(", ", running))
                + "\nAvailable monitor kinds: " + String.join(", ", available) + "\n",
            () -> object().<ObjectNode>set("running", array(running)).set("available", array(available)));
        return 0;
      }
      if (action.monitorStatus != null) {
        return monitorStatus(orchestrator, action.monitorStatus);
      }
      if (action.clearState) {
        var c = orchestrator.servers().clearState();
        print(() -> c.summary() + "\n", () -> object().put("forgotten", c.forgotten())
            .put("folders_removed", c.foldersRemoved()).put("bytes_freed", c.bytesFreed()));
        return 0;
      }
      if (action.logs != null) {
        return new LogsAction(orchestrator, out, err).run(action.logs, tail, follow, Optional.ofNullable(sidecar), output);
      }
      if (action.demo) {
        return new QuickstartDemo(orchestrator, out).run(config.recipesDir(), keep) ? 0 : 1;
      }
    }
    throw new IllegalStateException("no action selected");
  }

  private OrchestratorConfig loadConfig() {
    ConfigLoader loader = new ConfigLoader();
    if (configFile != null) {
      return loader.load(configFile);
    }
    String home = System.getenv("ORCHESTRATOR_HOME");
    Path[] candidates = {home == null ? null : Path.of(home, "config.yaml"), Path.of("config.yaml")};
    OrchestratorConfig config = OrchestratorConfig.defaults();
    for (Path candidate : candidates) {
      if (candidate != null && Files.isRegularFile(candidate)) {
        config = loader.load(candidate);
        break;
      }
    }
    // Called from another folder, the shipped recipes are still found beside the launcher.
    if (home != null && !config.recipesDir().isAbsolute() && !Files.isDirectory(config.recipesDir())) {
      config = config.withRecipesDir(Path.of(home).resolve(config.recipesDir()));
    }
    return config;
  }

  private int listRecipes(OrchestratorConfig config) throws IOException {
    Path dir = config.recipesDir();
    List<String> names;
    if (!Files.isDirectory(dir)) {
      names = List.of();
    } else {
      try (Stream<Path> files = Files.list(dir)) {
        names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
            .sorted().toList();
      }
    }
    print(() -> "Available recipes in " + dir + ":\n" + (names.isEmpty() ? "  (none)\n"
            : String.join("\n", names.stream().map(n -> "  " + n).toList()) + "\n"),
        () -> object().<ObjectNode>put("recipes_dir", dir.toString()).set("recipes", array(names)));
    return 0;
  }

  private int startRecipe(BenchmarkOrchestrator orchestrator, Recipe recipe) {
    if (dryRun) {
      out.print(orchestrator.dryRun(recipe));
      out.flush();
      return 0;
    }
    SessionStart start = orchestrator.startBenchmarkSession(recipe, !noWait);
    Map<String, ServiceStatus> byId = new LinkedHashMap<>();
    orchestrator.servers().refresh().forEach(s -> byId.put(s.serviceId(), s));
    print(() -> {
      StringBuilder text = new StringBuilder();
      for (String id : start.serviceIds()) {
        ServiceStatus s = byId.get(id);
        text.append("Started ").append(id).append(" (job ").append(s.record().jobId()).append(", ")
            .append(s.state());
        s.endpoint().ifPresent(e -> text.append(", ").append(e.api()));
        if (s.record().port() != 0 && s.record().requestedPort() != 0 && s.record().port() != s.record().requestedPort()) {
          text.append("; port ").append(s.record().requestedPort()).append(" was taken, got ").append(s.record().port());
        }
        text.append(")\n");
      }
      return text + "Benchmark session started: " + start.sessionId() + "\n";
    }, () -> {
      ObjectNode root = object().put("session_id", start.sessionId());
      ArrayNode services = root.putArray("services");
      for (String id : start.serviceIds()) {
        ServiceStatus s = byId.get(id);
        ObjectNode row = services.addObject().put("service_id", id).put("job_id", s.record().jobId())
            .put("state", s.state().name());
        if (s.record().port() != 0) {
          row.put("port", s.record().port());
        }
        s.endpoint().ifPresent(e -> row.put("endpoint", e.api()));
      }
      return root;
    });
    return 0;
  }

  private int status(BenchmarkOrchestrator orchestrator) {
    SystemStatus status = orchestrator.getSystemStatus();
    Map<String, String> counts = new LinkedHashMap<>();
    // All at once, each within limits.status_timeout: a frozen monitor must not cost 30 s per monitor.
    orchestrator.monitors().probeTargets(status.monitors()).forEach((id, probe) -> probe.targets().ifPresentOrElse(
        targets -> counts.put(id, targets.stream().filter(t -> t.health() == TargetHealth.Health.UP).count() + "/"
            + targets.size()),
        () -> progress("cannot read targets of " + id + ": " + probe.failure())));
    StatusView view = new StatusView(Instant.now());
    print(() -> view.text(status, counts), () -> view.json(status, counts));
    HeldConnectionAction.statusLine(orchestrator.config()).ifPresent(this::progress);
    return 0;
  }

  private int endpoint(BenchmarkOrchestrator orchestrator, String typedId, boolean monitorOnly) {
    ServiceStatus status = orchestrator.servers().checkServiceStatus(typedId);
    if (monitorOnly && !status.record().isMonitor()) {
      throw new io.github.hpcorchestrator.InputException("service " + status.serviceId() + " is not a monitor");
    }
    ServiceEndpoint endpoint = orchestrator.servers().getServiceEndpoint(status.serviceId());
    print(() -> StatusView.endpointText(typedId, status.record().name(), endpoint),
        () -> StatusView.endpointJson(endpoint));
    if (tunnel != null) {
      return holdTunnel(orchestrator, endpoint);
    }
    return 0;
  }

  /** Forwards a local port to the service until this process is interrupted (Ctrl-C). */
  private int holdTunnel(BenchmarkOrchestrator orchestrator, ServiceEndpoint endpoint) {
    if (tunnel < 1 || tunnel > 65535) {
      throw new io.github.hpcorchestrator.InputException("--tunnel: expected a port number 1-65535, found " + tunnel);
    }
    java.util.Optional<io.github.hpcorchestrator.transport.SshTunnel> held =
        orchestrator.shell().holdTunnel(endpoint.host(), endpoint.port(), tunnel);
    if (held.isEmpty()) {
      progress("no tunnel needed: this machine reaches " + endpoint.api() + " directly");
      return 0;
    }
    try (io.github.hpcorchestrator.transport.SshTunnel t = held.get()) {
      String scheme = endpoint.api().startsWith("https:") ? "https" : "http";
      progress("forwarding " + scheme + "://127.0.0.1:" + t.localAddress().getPort() + " to " + endpoint.host() + ":"
          + endpoint.port() + " through the SSH connection; press Ctrl-C to stop");
      java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The range of --start/--end/--step, if --start was given. */
  private Optional<ReportWindow> range() {
    if (start == null) {
      if (end != null || step != null) {
        throw new io.github.hpcorchestrator.InputException("--end and --step need --start");
      }
      return Optional.empty();
    }
    Instant now = Instant.now();
    Instant from = TimeArgument.parse("--start", start, now);
    Instant to = end == null ? now : TimeArgument.parse("--end", end, now);
    if (!to.isAfter(from)) {
      throw new io.github.hpcorchestrator.InputException("--start must be before --end");
    }
    if (step == null) {
      return Optional.of(ReportWindow.covering(from, to));
    }
    java.time.Duration stepDuration;
    try {
      stepDuration = io.github.hpcorchestrator.prometheus.PrometheusDuration.parse(step);
    } catch (IllegalArgumentException e) {
      throw new io.github.hpcorchestrator.InputException("--step: expected a duration such as 15s, found '" + step + "'");
    }
    return Optional.of(new ReportWindow(from, to, stepDuration));
  }

  private int query(BenchmarkOrchestrator orchestrator, String typedId, String promql) {
    Optional<ReportWindow> window = range();
    QueryResult result = window.isPresent()
        ? orchestrator.monitors().queryRange(typedId, promql, window.get().start(), window.get().end(), window.get().step())
        : orchestrator.monitors().queryMetrics(typedId, promql);
    print(() -> new QueryResultTable().render(result), result::raw);
    return 0;
  }

  private int stop(BenchmarkOrchestrator orchestrator, String typedId, boolean monitor) {
    ServiceStatus before = orchestrator.servers().checkServiceStatus(typedId);
    String id = before.serviceId();
    // A Prometheus saves its session and report before it stops, however it is stopped.
    boolean isMonitor = monitor || before.record().isMonitor();
    boolean stopped = isMonitor ? orchestrator.monitors().stopMonitor(id, this::progress)
        : orchestrator.servers().stopService(id);
    ServiceStatus after = orchestrator.servers().checkServiceStatus(id);
    print(() -> (stopped ? "Stopped " + id : "Service " + id + " had already ended") + " (" + after.state() + ")\n",
        () -> object().put("service_id", id).put("stopped", stopped).put("state", after.state().name()));
    return 0;
  }

  private int monitorStatus(BenchmarkOrchestrator orchestrator, String typedId) {
    MonitorStatus status = orchestrator.monitors().checkMonitorStatus(typedId);
    List<TargetHealth> targets = status.status().equals("running")
        ? orchestrator.monitors().targets(status.monitorId()) : List.of();
    print(() -> {
      StringBuilder text = new StringBuilder();
      text.append("Monitor ").append(status.monitorId()).append(": ").append(status.status())
          .append(" (job ").append(status.jobId()).append(", nodes ").append(String.join(",", status.nodes()))
          .append(")\n");
      for (TargetHealth t : targets) {
        text.append("  ").append(t.job()).append("  ").append(t.instance()).append("  ")
            .append(t.health().name().toLowerCase(java.util.Locale.ROOT))
            .append(t.lastError().isEmpty() ? "" : "  " + t.lastError()).append('\n');
      }
      return text.toString();
    }, () -> {
      ObjectNode root = object();
      root.put("monitor_id", status.monitorId()).put("status", status.status()).put("job_id", status.jobId());
      root.set("nodes", array(status.nodes()));
      root.put("submitted_at", status.submittedAt());
      if (status.startedAt().isPresent()) {
        root.put("started_at", status.startedAt().get());
      } else {
        root.putNull("started_at");
      }
      ArrayNode rows = root.putArray("targets");
      for (TargetHealth t : targets) {
        rows.addObject().put("job", t.job()).put("instance", t.instance())
            .put("health", t.health().name().toLowerCase(java.util.Locale.ROOT)).put("last_error", t.lastError());
      }
      return root;
    });
    return 0;
  }

  private void progress(String line) {
    err.println(line);
    err.flush();
  }

  private void print(java.util.function.Supplier<String> text, java.util.function.Supplier<JsonNode> jsonValue) {
    if (output == OutputFormat.json) {
      try {
        // The mapper is made only for JSON output: building one costs a text-mode call ~50 ms of start-up.
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(jsonValue.get()));
      } catch (IOException e) {
        throw new io.github.hpcorchestrator.OperationFailedException("cannot write JSON: " + e.getMessage(), e);
      }
    } else {
      out.print(text.get());
    }
    out.flush();
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode node = JsonNodeFactory.instance.arrayNode();
    values.forEach(node::add);
    return node;
  }
}
