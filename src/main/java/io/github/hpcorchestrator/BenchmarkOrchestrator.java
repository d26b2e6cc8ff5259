package io.github.hpcorchestrator;

import io.github.hpcorchestrator.cluster.ContainerRuntime;
import io.github.hpcorchestrator.cluster.LocalScheduler;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.HeldShell;
import io.github.hpcorchestrator.monitor.MonitorsModule;
import io.github.hpcorchestrator.prometheus.PromtoolCheck;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.recipe.RecipeLoader;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.report.StaleOutputs;
import io.github.hpcorchestrator.service.ClusterRuntime;
import io.github.hpcorchestrator.service.GenericKind;
import io.github.hpcorchestrator.service.JlinkRuntime;
import io.github.hpcorchestrator.service.JobPlanner;
import io.github.hpcorchestrator.service.LlmSimulatorKind;
import io.github.hpcorchestrator.service.NodeExporterKind;
import io.github.hpcorchestrator.service.OllamaKind;
import io.github.hpcorchestrator.service.PrometheusKind;
import io.github.hpcorchestrator.service.ReadinessWaiter;
import io.github.hpcorchestrator.service.RuntimeBundle;
import io.github.hpcorchestrator.service.ClientsModule;
import io.github.hpcorchestrator.service.ServersModule;
import io.github.hpcorchestrator.service.ServicePlan;
import io.github.hpcorchestrator.service.ServiceId;
import io.github.hpcorchestrator.service.ServiceKinds;
import io.github.hpcorchestrator.service.ServiceLogs;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.service.ToolLocator;
import io.github.hpcorchestrator.state.SecretStore;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The library's entry point, mirroring the spec: load recipes, start sessions, and reach the
 * {@link #servers()} and {@link #monitors()} modules. Close it to release the state database
 * and any connection to the cluster.
 */
public final class BenchmarkOrchestrator implements AutoCloseable {

  /** How often a session start plans again when concurrent starts keep taking its session ID. */

  private final OrchestratorConfig config;
  private final Shell shell;
  private final Scheduler scheduler;
  private final StateStore store;
  private final ServersModule servers;
  private final MonitorsModule monitors;
  // Empty in an orchestrator over parts built elsewhere (unit tests): it has no runtime for client jobs.
  private final Optional<ClientsModule> clients;
  private final ServiceLogs logs;
  private final RecipeLoader recipes = new RecipeLoader();
  private final Clock clock = Clock.systemDefaultZone();

  /** An orchestrator configured by the YAML file at {@code configFile}; progress goes to stderr. */
  public BenchmarkOrchestrator(Path configFile) {
    this(new ConfigLoader().load(configFile), line -> System.err.println(line));
  }

  /**
   * @param config validated configuration
   * @param progress receives a line now and then during long waits (starts, installs)
   */
  public BenchmarkOrchestrator(OrchestratorConfig config, Consumer<String> progress) {
    this.config = config;
    // With hpc.hostname set, every cluster command and every query goes through one SSH session
    // to the login node; without it, the orchestrator runs on the login node itself.
    // The SSH login is kept by a connection holder between calls (hpc.persist; 0: this call's own).
    this.shell = config.hpc().<Shell>map(hpc -> HeldShell.forConfig(hpc, config.stateDir()))
        .orElseGet(LocalShell::new);
    this.store = StateStore.open(config.stateDir());
    Function<String, String> executables;
    Optional<ClusterRuntime> clusterRuntime = Optional.empty();
    if (config.backend() == OrchestratorConfig.Backend.SLURM) {
      SlurmScheduler slurm = new SlurmScheduler(shell, config.remoteDir(), config.slurm(), clock);
      slurm.onControllerRetry(progress);
      this.scheduler = slurm;
      // Nothing beyond bash and SLURM is assumed on the cluster: what it lacks is uploaded from here.
      ToolLocator here = new ToolLocator(shell, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), false, progress);
      ClusterRuntime cluster = new ClusterRuntime(shell, slurm::rootDir, config.slurm().tools(),
          config.slurm().setup(), here,
          new JlinkRuntime(config.stateDir().resolve("runtime"), Path.of(System.getProperty("java.home")), progress),
          progress);
      clusterRuntime = Optional.of(cluster);
      executables = cluster::executable;
    } else {
      this.scheduler = new LocalScheduler(config.stateDir().resolve("services"), shell, Duration.ofSeconds(10));
      ToolLocator tools = new ToolLocator(shell, System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
          ToolLocator.canInstall(), progress);
      executables = tools::locate;
    }
    PromtoolCheck promtool = PromtoolCheck.onPath();
    SecretStore secrets = new SecretStore(config.stateDir());
    ServiceKinds kinds = new ServiceKinds(List.of(new PrometheusKind(promtool, secrets::get), new NodeExporterKind(),
        new OllamaKind(), new LlmSimulatorKind(), new GenericKind()));
    // Sidecars run the orchestrator's own classes: these anchors pick the jars they need.
    RuntimeBundle runtime = new RuntimeBundle(shell, scheduler::rootDir, List.of(BenchmarkOrchestrator.class,
        com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
        com.fasterxml.jackson.annotation.JsonProperty.class,
        // The benchmark client's plan (Optional fields) and latency histograms.
        com.fasterxml.jackson.datatype.jdk8.Jdk8Module.class, org.HdrHistogram.Histogram.class,
        // The exporters' HTTP server and exposition format (prometheus-metrics 1.x).
        io.prometheus.metrics.exporter.httpserver.HTTPServer.class,
        io.prometheus.metrics.exporter.common.PrometheusHttpExchange.class,
        io.prometheus.metrics.expositionformats.ExpositionFormats.class,
        io.prometheus.metrics.model.snapshots.MetricSnapshots.class,
        io.prometheus.metrics.config.PrometheusProperties.class), clusterRuntime);
    ServiceId ids = new ServiceId(new SecureRandom());
    this.servers = new ServersModule(scheduler, shell, store, kinds, ids,
        executables, new ReadinessWaiter(shell, progress), runtime, secrets,
        new JobPlanner(containerRuntime(config, scheduler, shell, progress), progress), clock);
    this.monitors = new MonitorsModule(servers, config.metricsDir(), clock, config.limits());
    this.clients = Optional.of(new ClientsModule(servers, scheduler, store, ids, runtime, clock));
    this.logs = logs(config, servers, shell);
    // What a killed writer left (temp files, a report without its JSON) goes on the next start.
    StaleOutputs.clean(config.metricsDir());
  }

  /**
   * An orchestrator over parts built elsewhere (unit tests over a fake scheduler); closing it closes
   * {@code store} and {@code shell}.
   */
  BenchmarkOrchestrator(OrchestratorConfig config, Shell shell, Scheduler scheduler, StateStore store,
      ServersModule servers) {
    this.config = config;
    this.shell = shell;
    this.scheduler = scheduler;
    this.store = store;
    this.servers = servers;
    this.monitors = new MonitorsModule(servers, config.metricsDir(), clock, config.limits());
    this.logs = logs(config, servers, shell);
    this.clients = Optional.empty();
  }

  private static ServiceLogs logs(OrchestratorConfig config, ServersModule servers, Shell shell) {
    // Where each job script sends the service's stdout and stderr (slurm-job.sh's --output, local-job.sh's log).
    boolean slurmBackend = config.backend() == OrchestratorConfig.Backend.SLURM;
    return new ServiceLogs(servers, shell, job -> job.serviceDir()
        + (slurmBackend ? "/slurm-" + job.jobId() + ".out" : "/service.log"), Duration.ofMillis(500));
  }

  /**
   * Apptainer where jobs are submitted: on SLURM the login node after slurm.setup, images under
   * the remote folder; locally this machine, images under the state folder.
   */
  private static ContainerRuntime containerRuntime(OrchestratorConfig config, Scheduler scheduler, Shell shell,
      Consumer<String> progress) {
    if (config.backend() == OrchestratorConfig.Backend.SLURM) {
      return new ContainerRuntime(shell, "the login node", "load it in every job with slurm.setup in the config"
          + " (or setup in the recipe), e.g. 'module load Apptainer'; images are built on the login node, so"
          + " without network on the nodes keep them there (container.image_path names a prebuilt one)",
          scheduler::rootDir, config.slurm().setup(), progress);
    }
    return new ContainerRuntime(shell, "this machine", "install Apptainer (https://apptainer.org) or put it on"
        + " PATH with setup in the recipe", config.stateDir().toAbsolutePath()::toString, List.of(), progress);
  }

  /** The shell that reaches the scheduler's side (this machine, or the login node over SSH). */
  public Shell shell() {
    return shell;
  }

  /** The configuration in force. */
  public OrchestratorConfig config() {
    return config;
  }

  /** Loads and validates a recipe file. */
  public Recipe loadRecipe(Path file) {
    return recipes.load(file);
  }

  /**
   * Starts every service of {@code recipe}, monitors first, each one ready before the next starts;
   * returns the new session's ID ("session_N") and the services' IDs.
   */
  public SessionStart startBenchmarkSession(Recipe recipe) {
    return startBenchmarkSession(recipe, true);
  }

  /** As {@link #startBenchmarkSession(Recipe)}; without {@code waitReady} returns once submitted. */
  public SessionStart startBenchmarkSession(Recipe recipe, boolean waitReady) {
    if (!recipe.clients().isEmpty() && clients.isEmpty()) {
      throw new OperationFailedException("this orchestrator was built without a runtime for client jobs");
    }
    if (!waitReady && !recipe.clients().isEmpty()) {
      throw new InputException(recipe.source() + ": its clients start once their targets are ready; run it without"
          + " --no-wait");
    }
    List<ServiceSpec> ordered = new ArrayList<>(recipe.services());
    ordered.sort(Comparator.comparing(s -> !MonitorsModule.AVAILABLE.contains(s.name())));
    // Plan every service once, and build its image or upload what it runs, before anything is
    // recorded or started: a recipe that cannot run costs nothing and leaves no trace. The plans
    // name their session (a monitor follows it), so they take the ID the session will get, and are
    // made again only when a concurrent start took that ID first.
    String session = store.nextSessionId();
    List<ServicePlan> plans = plan(ordered, session);
    if (!store.openSession(session, recipe.source().toString(), clock.instant())) {
      // A concurrent start took that ID while this one planned: claim a session first this time (one
      // atomic insert, so no race can be lost again) and plan anew for it; a plan that fails gives it back.
      session = store.newSession(recipe.source().toString(), clock.instant());
      try {
        plans = plan(ordered, session);
      } catch (RuntimeException e) {
        store.dropSession(session);
        throw e;
      }
    }
    List<String> started = new ArrayList<>();
    for (ServicePlan plan : plans) {
      started.add(servers.start(plan, recipe.source().toString(), waitReady));
    }
    // Clients last: their targets are ready by now (a session with clients always waits).
    java.util.Map<String, String> byName = new java.util.HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      byName.put(ordered.get(i).name(), started.get(i));
    }
    for (var client : recipe.clients()) {
      started.add(clients.orElseThrow().start(client, session, recipe.source().toString(), byName));
    }
    return new SessionStart(session, started);
  }

  /** Plans and prepares every service of {@code ordered} for {@code session}, starting nothing. */
  private List<ServicePlan> plan(List<ServiceSpec> ordered, String session) {
    List<ServicePlan> plans = new ArrayList<>();
    for (ServiceSpec spec : ordered) {
      ServicePlan plan = servers.plan(spec, session, true);
      servers.prepare(plan);
      plans.add(plan);
    }
    return plans;
  }

  /**
   * Stops every service of a session, monitors first (each saves its window and writes its report
   * while its targets still run), and records the session's end. Returns the IDs stopped.
   *
   * @param progress told what each monitor saved
   */
  public List<String> stopSession(String sessionId, Consumer<String> progress) {
    if (!sessionId.matches("session_\\d{1,9}")) {
      throw new InputException("'" + sessionId + "' is not a session ID: expected session_N, as --recipe printed it");
    }
    List<ServiceStatus> members = servers.refresh().stream()
        .filter(s -> s.record().sessionId().equals(sessionId)).toList();
    if (members.isEmpty() && !store.sessionExists(sessionId)) {
      throw new InputException("no session '" + sessionId + "' (see --status for the sessions' services)");
    }
    List<String> stopped = new ArrayList<>();
    for (ServiceStatus s : members) {
      if (s.record().isMonitor() && !s.state().isFinal() && monitors.stopMonitor(s.serviceId(), progress)) {
        stopped.add(s.serviceId());
      }
    }
    for (ServiceStatus s : members) {
      if (!s.record().isMonitor() && !s.state().isFinal() && servers.stopService(s.serviceId())) {
        stopped.add(s.serviceId());
      }
    }
    store.endSession(sessionId, clock.instant());
    return stopped;
  }

  /** Stops everything that runs, monitors first (each saving its window and report). */
  public List<String> stopAll(Consumer<String> progress) {
    List<String> stopped = new ArrayList<>();
    List<ServiceStatus> all = servers.refresh();
    for (ServiceStatus s : all) {
      if (s.record().isMonitor() && !s.state().isFinal() && monitors.stopMonitor(s.serviceId(), progress)) {
        stopped.add(s.serviceId());
      }
    }
    stopped.addAll(servers.stopAllServices());
    return stopped;
  }

  /**
   * The job scripts (and generated files) {@code recipe} would run, services then clients, without
   * starting anything.
   */
  public String dryRun(Recipe recipe) {
    if (!recipe.clients().isEmpty() && clients.isEmpty()) {
      throw new OperationFailedException("this orchestrator was built without a runtime for client jobs");
    }
    StringBuilder out = new StringBuilder();
    java.util.Map<String, ServicePlan> planned = new java.util.HashMap<>();
    for (ServiceSpec spec : recipe.services()) {
      ServicePlan plan = servers.plan(spec, ClientsModule.DRY_RUN_SESSION, false);
      planned.put(spec.name(), plan);
      out.append(servers.render(plan));
    }
    for (var client : recipe.clients()) {
      out.append(clients.orElseThrow().render(client, planned));
    }
    return out.toString();
  }

  /** The spec's ServersModule. */
  public ServersModule servers() {
    return servers;
  }

  /** The spec's MonitorsModule. */
  public MonitorsModule monitors() {
    return monitors;
  }

  /** Services' and monitors' output, read where their jobs write it. */
  public ServiceLogs logs() {
    return logs;
  }

  /** Every service and monitor, observed with one scheduler poll. */
  public SystemStatus getSystemStatus() {
    List<ServiceStatus> all = servers.refresh();
    return new SystemStatus(scheduler.name(), all, all.stream().filter(s -> s.record().isMonitor()).toList());
  }

  /** The monitors part of {@link #getSystemStatus()}. */
  public List<ServiceStatus> showMonitorsStatus() {
    return getSystemStatus().monitors();
  }

  @Override
  public void close() {
    store.close();
    shell.close();
  }
}
