package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.QuickstartDemo;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.recipe.RecipeLoader;
import io.github.hpcorchestrator.report.MetricsFiles;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The orchestrator's command line: the spec's flags, one action per call, each run by its action class. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false, usageHelpAutoWidth = true,
    customSynopsis = "orchestrator ACTION [OPTIONS]   (exactly one action per call)",
    description = "Deploys services and Prometheus locally or on a SLURM cluster, finds, monitors, queries and stops them.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:runtime failure (a service failed, Prometheus unreachable, ...)",
        "2:usage or input error (bad recipe, unknown ID, ...)"})
public final class OrchestratorCommand implements Callable<Integer> {

  /** At most one of these per call (none prints the short usage). */
  static final class Action {
    @Option(names = "--recipe", paramLabel = "FILE",
        description = "Start the services of a recipe (a session): a path, or a name in the recipes folder.")
    Path recipe;

    @Option(names = "--status", description = "Show every service and monitor with state, elapsed time, node and session.")
    boolean status;

    @Option(names = "--service-endpoint", paramLabel = "ID", description = "Show where a service answers (host, API, UI).")
    String serviceEndpoint;

    @Option(names = "--query-service-metrics", arity = "2", paramLabel = "ID QUERY", hideParamSyntax = true,
        description = "Run a PromQL query on the Prometheus service ID.")
    List<String> queryServiceMetrics;

    @Option(names = "--query-metrics", arity = "2", paramLabel = "MONITOR_ID QUERY", hideParamSyntax = true,
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

    @Option(names = "--show-credentials", paramLabel = "ID",
        description = "Print the user and password of a monitor's UI and API (only when asked).")
    String showCredentials;

    @Option(names = "--clear-state", description = "Forget services that have ended.")
    boolean clearState;

    @Option(names = "--stop-session", paramLabel = "SESSION_ID",
        description = "Stop every service of a session (monitors first, saving their metrics and report).")
    String stopSession;

    @Option(names = "--collect-metrics", arity = "3", paramLabel = "ID QUERY FILE", hideParamSyntax = true,
        description = "Run a query on a monitor and save the result under the metrics folder (see --format, --start).")
    List<String> collectMetrics;

    @Option(names = "--report", arity = "1..2", paramLabel = "ID [FILE]", hideParamSyntax = true,
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

  // A mixin checked by hand, not an exclusive @ArgGroup: picocli renders such a group's synopsis
  // on every parse, a fifth of a warm call's time in the connection holder.
  @Mixin Action action;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (default: config.yaml at the orchestrator's root or in the current folder).")
  Path configFile;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: text or json (default: text); under json, errors are JSON too.")
  OutputFormat output;

  @Option(names = "--dry-run", description = "With --recipe: print the job scripts and configs, start nothing.")
  boolean dryRun;

  @Option(names = "--wait", arity = "0..1", paramLabel = "ID", fallbackValue = "",
      description = "Wait for benchmark clients to end, printing progress, then their summaries: --wait ID for a"
          + " running client, or --recipe R --wait for the session's clients (exit 1 if one did not complete).")
  String waitFor;

  @Option(names = "--no-wait", description = "With --recipe: return once submitted, without waiting for readiness.")
  boolean noWait;

  @Option(names = "--tunnel", paramLabel = "LOCAL_PORT",
      description = "With --service-endpoint or --monitor-endpoint: forward LOCAL_PORT on this machine to the"
          + " service through the SSH connection until Ctrl-C (for a browser).")
  Integer tunnel;

  @Option(names = "--keep", description = "With --demo: leave the services running.")
  boolean keep;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "With --collect-metrics: json or csv (default: json).")
  MetricsFiles.Format format;

  @Option(names = "--start", paramLabel = "TIME",
      description = "With a query or --collect-metrics: make it a range query from TIME (now, -15m, epoch seconds, RFC 3339).")
  String start;

  @Option(names = "--end", paramLabel = "TIME", description = "With --start: end of the range (default: now).")
  String end;

  @Option(names = "--step", paramLabel = "DURATION",
      description = "With --start: step of the range, e.g. 15s (default: at most 1000 points over the range).")
  String step;

  @Option(names = "--tail", paramLabel = "N", defaultValue = "100",
      description = "With --logs: the last N lines (default: 100).")
  int tail;

  @Option(names = "--follow", description = "With --logs: keep printing what it writes until the job ends or Ctrl-C.")
  boolean follow;

  @Option(names = "--sidecar", paramLabel = "NAME", description = "With --logs: a sidecar's log (e.g. probe) instead.")
  String sidecar;

  @Option(names = {"-v", "--verbose"}, description = "Print more detail, including causes of errors and library logs.")
  boolean verbose;

  @Spec CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;

  OrchestratorCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  boolean verbose() {
    return verbose;
  }

  /** The options of {@link Action}. */
  private List<OptionSpec> actionOptions() {
    return spec.mixins().get("action").options();
  }

  /** The actions given, by their longest names, in the order given. */
  private List<String> actionsGiven() {
    List<OptionSpec> mine = actionOptions();
    return spec.commandLine().getParseResult().matchedOptions().stream().filter(mine::contains)
        .map(OptionSpec::longestName).distinct().toList();
  }

  @Override
  public Integer call() throws IOException {
    List<String> actions = actionsGiven();
    if (actions.size() > 1) {
      throw new UsageException(String.join(", ", actions) + " are mutually exclusive (specify only one)");
    }
    if (actions.isEmpty() && waitFor != null && !waitFor.isEmpty()) {
      // --wait ID is an action of its own; --wait alone is --recipe's modifier (see Applicability)
      try (BenchmarkOrchestrator orchestrator = new BenchmarkOrchestrator(ConfigLocator.load(configFile),
          new Printer(out, err, output)::progress)) {
        return ClientWaitAction.waitFor(orchestrator, waitFor, new Printer(out, err, output));
      }
    }
    if (actions.isEmpty()) {
      throw new UsageException(HelpText.SHORT_USAGE_LINE);
    }
    Applicability.check(spec.commandLine().getParseResult(), actions.get(0), actionOptions());
    if (waitFor != null && (!waitFor.isEmpty() || noWait)) {
      throw new UsageException(noWait ? "--wait and --no-wait exclude each other"
          : "--recipe R --wait takes no ID: it waits for the session's own clients");
    }
    Printer printer = new Printer(out, err, output);
    OrchestratorConfig config = ConfigLocator.load(configFile, !action.disconnect);
    if (action.disconnect) {
      return HeldConnectionAction.disconnect(config, printer::progress);
    }
    if (action.listServices) {
      printer.print(RecipeActions.list(config.recipesDir()));
      return 0;
    }
    // Loaded before anything connects: a bad recipe costs no SSH session.
    var recipe = action.recipe == null ? null
        : new RecipeLoader().load(RecipeActions.resolve(action.recipe, config.recipesDir()));
    try (BenchmarkOrchestrator orchestrator = new BenchmarkOrchestrator(config, printer::progress)) {
      if (recipe != null && dryRun) {
        out.print(orchestrator.dryRun(recipe));
        out.flush();
        return 0;
      }
      if (recipe != null && waitFor != null) {
        return ClientWaitAction.startAndWait(orchestrator, recipe, printer, output);
      }
      if (action.results != null) {
        return ClientResultsAction.run(orchestrator, action.results, output, out);
      }
      if (action.logs != null) {
        return new LogsAction(orchestrator, out, err).run(action.logs, tail, follow, Optional.ofNullable(sidecar), output);
      }
      if (action.demo) {
        return new QuickstartDemo(orchestrator, out).run(config.recipesDir(), keep) ? 0 : 1;
      }
      String endpointId = action.serviceEndpoint != null ? action.serviceEndpoint : action.monitorEndpoint;
      if (endpointId != null) {
        ServiceEndpoint endpoint = EndpointActions.endpoint(orchestrator, endpointId, action.monitorEndpoint != null);
        printer.print(EndpointActions.view(orchestrator, endpointId, endpoint));
        return tunnel == null ? 0 : EndpointActions.holdTunnel(orchestrator, endpoint, tunnel, printer);
      }
      printer.print(view(orchestrator, recipe, printer));
      return 0;
    }
  }

  /** The view of every action that prints one result and ends. */
  private View view(BenchmarkOrchestrator orchestrator, io.github.hpcorchestrator.recipe.Recipe recipe, Printer printer) {
    Action a = action;
    if (recipe != null) {
      return RecipeActions.start(orchestrator, recipe, !noWait);
    }
    if (a.status) {
      HeldConnectionAction.statusLine(orchestrator.config()).ifPresent(printer::progress);
      return StatusActions.status(orchestrator, printer::progress);
    }
    if (a.queryServiceMetrics != null || a.queryMetrics != null) {
      List<String> q = a.queryServiceMetrics != null ? a.queryServiceMetrics : a.queryMetrics;
      return MetricsActions.query(orchestrator, q.get(0), q.get(1), MetricsActions.range(start, end, step));
    }
    if (a.collectMetrics != null) {
      return MetricsActions.collect(orchestrator, a.collectMetrics, format, MetricsActions.range(start, end, step));
    }
    if (a.report != null) {
      return MetricsActions.report(orchestrator, a.report);
    }
    if (a.stopSession != null) {
      return StopActions.stopSession(orchestrator, a.stopSession, printer::progress);
    }
    if (a.stopService != null || a.stopMonitor != null) {
      return StopActions.stop(orchestrator, a.stopService != null ? a.stopService : a.stopMonitor,
          a.stopMonitor != null, printer::progress);
    }
    if (a.stopAll) {
      return StopActions.stopAll(orchestrator, printer::progress);
    }
    if (a.clearState) {
      return StopActions.clearState(orchestrator);
    }
    if (a.listRunning) {
      return StatusActions.listRunning(orchestrator);
    }
    if (a.listMonitors) {
      return StatusActions.listMonitors(orchestrator);
    }
    if (a.monitorStatus != null) {
      return StatusActions.monitorStatus(orchestrator, a.monitorStatus);
    }
    if (a.showCredentials != null) {
      return EndpointActions.credentials(orchestrator, a.showCredentials);
    }
    throw new IllegalStateException("no action selected");
  }
}
