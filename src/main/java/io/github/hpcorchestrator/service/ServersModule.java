package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.Connection;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.recipe.HealthCheck;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.state.SecretStore;
import java.security.SecureRandom;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.state.Observation;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.transport.Shell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The spec's ServersModule: starts, finds, observes and stops services on whichever backend the
 * orchestrator runs. The scheduler is the source of truth; local state is a cache and a history.
 */
public final class ServersModule {
  private static final int MAX_ID_ATTEMPTS = 16;
  private static final String SESSION_FILE = "session";
  private static final int LOG_TAIL_LINES = 10;

  private final Scheduler scheduler;
  private final Shell shell;
  private final StateStore store;
  private final ServiceKinds kinds;
  private final ServiceId ids;
  private final Function<String, String> executables;
  private final ReadinessWaiter readiness;
  private final RuntimeBundle runtime;
  private final SecretStore secrets;
  private final JobPlanner planner;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final OrphanJobs orphans;

  /**
   * @param executables maps a tool name ("prometheus") to the executable jobs run
   * @param runtime the orchestrator's own code where jobs run, for sidecars
   * @param secrets where monitors' credentials are kept
   * @param planner turns recipes into jobs (setup lines, containers)
   */
  public ServersModule(Scheduler scheduler, Shell shell, StateStore store, ServiceKinds kinds,
      ServiceId ids, Function<String, String> executables, ReadinessWaiter readiness, RuntimeBundle runtime,
      SecretStore secrets, JobPlanner planner, Clock clock) {
    this.scheduler = scheduler;
    this.shell = shell;
    this.store = store;
    this.kinds = kinds;
    this.ids = ids;
    this.executables = executables;
    this.readiness = readiness;
    this.runtime = runtime;
    this.secrets = secrets;
    this.planner = planner;
    this.clock = clock;
    this.orphans = new OrphanJobs(scheduler, clock);
  }

  /** Starts {@code spec} in a session of its own, waits until it is ready, and returns its ID. */
  public String startService(ServiceSpec spec) {
    return startService(spec, store.newSession("(api)", clock.instant()), "(api)", true);
  }

  /**
   * Plans {@code spec} once, prepares and starts it as part of {@code sessionId}; see {@link #start}.
   *
   * @throws InputException when the recipe cannot run (nothing is started then)
   * @throws OperationFailedException when the job fails or does not get ready in time
   */
  public String startService(ServiceSpec spec, String sessionId, String recipe, boolean waitReady) {
    ServicePlan plan = plan(spec, sessionId, true);
    prepare(plan);
    return start(plan, recipe, waitReady);
  }

  /**
   * Plans {@code spec} as service of {@code sessionId}: draws its ID, its credentials and its job,
   * once; starting nothing and recording nothing.
   *
   * @param strict whether a container that cannot run fails the plan; a dry run only says so
   * @throws InputException when the recipe cannot run
   */
  public ServicePlan plan(ServiceSpec spec, String sessionId, boolean strict) {
    ServiceKind kind = kinds.forName(spec.name());
    String serviceId = freeId(spec.name());
    PlanningContext context = new PlanningContext(sessionId, scheduler, executables, runtime, random, this::refresh);
    // Each service folder says which session it belongs to, for monitors that follow a session.
    JobSpec job = planner.plan(kind, spec, serviceId, context, strict).withFile(SESSION_FILE, sessionId + "\n");
    return new ServicePlan(spec, kind, serviceId, sessionId, job, context.credentials(), health(kind, spec));
  }

  /** An ID no stored service has; the insert at start still guards against a concurrent start. */
  private String freeId(String name) {
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String id = ids.generate(name);
      if (store.service(id).isEmpty()) {
        return id;
      }
    }
    throw new OperationFailedException("could not draw a free service ID for " + name);
  }

  /** The job script (and files) {@code plan} submits, secrets left out. */
  public String render(ServicePlan plan) {
    return JobPlanner.describe(scheduler.renderScript(plan.job()), plan.job());
  }

  /** The job script (and files) a start of {@code spec} would submit; strict: failing as the start would. */
  public String renderJob(ServiceSpec spec, boolean strict) {
    return render(plan(spec, ClientsModule.DRY_RUN_SESSION, strict));
  }

  /**
   * Brings what {@code plan}'s job needs where it runs (its image, the runtime), starting nothing:
   * a session whose later service cannot get its image starts none.
   */
  public void prepare(ServicePlan plan) {
    scheduler.renderScript(plan.job()); // fails as the submit would (e.g. resources the backend refuses)
    planner.prepare(plan.job());
    runtime.prepare();
  }

  /**
   * Records and submits {@code plan} (prepared), and with {@code waitReady} returns once its health
   * check answers (a Prometheus: once every target was scraped at least once). Returns its ID.
   *
   * @throws OperationFailedException when the job fails or does not get ready in time
   */
  public String start(ServicePlan plan, String recipe, boolean waitReady) {
    String serviceId = plan.serviceId();
    // Recorded with its folder, and its credentials saved, before the job can start: a start cut
    // off after submit leaves a row whose job the next refresh adopts (OrphanJobs).
    ServiceRecord pending = new ServiceRecord(serviceId, plan.name(), plan.sessionId(), scheduler.name(), "",
        scheduler.folderOf(serviceId), plan.job().requestedPort(), JobState.PENDING, "", "", 0, Optional.empty(),
        clock.instant(), Optional.empty(), Optional.empty(), recipe);
    if (!store.insert(pending)) {
      // A concurrent start took the ID between plan and start: its job files name the ID, so plan anew.
      return start(plan(plan.spec(), plan.sessionId(), true), recipe, waitReady);
    }
    plan.credentials().ifPresent(c -> secrets.put(serviceId, c));
    SubmittedJob submitted;
    try {
      submitted = scheduler.submit(plan.job());
    } catch (RuntimeException e) {
      // Not a put: an observer that meanwhile adopted the job keeps its job ID (StateStore.observe).
      store.observe(List.of(SubmitFailure.record(pending, e, clock.instant())));
      throw e;
    }
    ServiceRecord record = pending.submitted(submitted);
    store.put(record);
    if (waitReady) {
      try {
        readiness.await(record, plan.health(), plan.kind().forStart(plan.spec(), plan.job(), scheduler.name()),
            this::observe);
      } catch (NotServingException e) {
        scheduler.cancel(record.job()); // it answers, but never will serve: nothing is left running
        store.put(store.service(serviceId).orElse(record).ended(JobState.FAILED, clock.instant(), e.getMessage()));
        throw e;
      }
    }
    return serviceId;
  }

  private Optional<HealthCheck> health(ServiceKind kind, ServiceSpec spec) {
    if (spec.healthCheck().isPresent()) {
      return spec.healthCheck();
    }
    return kind.healthEndpoint(spec, scheduler.name()).map(endpoint ->
        new HealthCheck(endpoint, Duration.ofSeconds(5), 60, Duration.ofSeconds(1)));
  }

  /** Stops a service by full ID or unique hex part; false if it had already ended. */
  public boolean stopService(String typedId) {
    return stop(checkServiceStatus(typedId));
  }

  private boolean stop(ServiceStatus status) {
    if (status.state().isFinal()) {
      return false;
    }
    ServiceRecord r = status.record();
    if (!r.backend().equals(scheduler.name())) {
      throw new InputException("service " + r.serviceId() + " runs on the " + r.backend() + " backend: stop it"
          + " with that backend's config (this one is " + scheduler.name() + ")");
    }
    // The refresh above looked for a row's job by its identity; a row still without one has nothing to signal.
    if (!r.jobId().isEmpty()) {
      scheduler.cancel(r.job());
    }
    store.put(r.ended(JobState.CANCELLED, clock.instant(),
        r.jobId().isEmpty() ? "stopped before any job of it was found" : ""));
    return true;
  }

  /** Stops every service that still runs, as one refresh saw them; returns the IDs stopped. */
  public List<String> stopAllServices() {
    List<String> stopped = new ArrayList<>();
    // One poll for all: a refresh per service made stopping 50 of them take 50 squeue round trips.
    for (ServiceStatus s : refresh()) {
      if (!s.state().isFinal() && ours(s.record()) && stop(s)) {
        stopped.add(s.serviceId());
      }
    }
    return stopped;
  }

  /** Services that are pending or running. */
  public List<ServiceStatus> listRunningServices() {
    return refresh().stream().filter(s -> !s.state().isFinal()).toList();
  }

  /** The node a service runs on, if it runs. */
  public Optional<String> getServiceHost(String typedId) {
    return checkServiceStatus(typedId).endpoint().map(ServiceEndpoint::host);
  }

  /** Where a running service answers. */
  public ServiceEndpoint getServiceEndpoint(String typedId) {
    ServiceStatus status = checkServiceStatus(typedId);
    return status.endpoint().orElseThrow(() -> new OperationFailedException("service "
        + status.serviceId() + " has no endpoint: " + (status.runsWithoutPort()
            ? "it is RUNNING without a port (its recipe lists no ports)" : "it is " + status.state()
        + (status.job().reason().isEmpty() ? "" : " (" + status.job().reason() + ")"))));
  }

  /** The current status of one service, by full ID or unique hex part. */
  public ServiceStatus checkServiceStatus(String typedId) {
    List<ServiceStatus> all = refresh();
    String id = ServiceIdResolver.resolve(typedId, all.stream().map(ServiceStatus::serviceId).toList());
    return all.stream().filter(s -> s.serviceId().equals(id)).findFirst().orElseThrow();
  }

  /** Every service as state last saw it, asking the scheduler nothing: one read, no lock. */
  public List<ServiceRecord> storedServices() {
    return store.services();
  }

  /**
   * Forgets services that ended and removes what they left: their folders where they ran and
   * their secrets here. Never touches a service that runs.
   */
  public ClearedState clearState() {
    List<ServiceRecord> ended = refresh().stream().map(ServiceStatus::record).filter(r -> r.state().isFinal()).toList();
    store.requireWritable(); // a state that cannot forget them keeps their folders too
    return new EndedServiceFolders(scheduler, shell).clear(ended, secrets, store::forgetFinished);
  }

  /**
   * Observes every known service with one scheduler poll, including services the scheduler runs
   * that local state does not know, and stores what it saw.
   */
  public List<ServiceStatus> refresh() {
    OrphanJobs.Merged merged = orphans.merge(store.services(), scheduler.discover());
    Map<String, ServiceRecord> records = merged.records();
    List<SubmittedJob> live = records.values().stream()
        .filter(r -> !r.state().isFinal() && !r.jobId().isEmpty() && ours(r)).map(ServiceRecord::job).toList();
    Map<String, JobStatus> polled = live.isEmpty() ? Map.of() : scheduler.poll(live);
    List<ServiceStatus> out = new ArrayList<>();
    RefreshWrites writes = new RefreshWrites(store, merged.settled(), r -> scheduler.logTail(r.job(), LOG_TAIL_LINES));
    for (ServiceRecord r : records.values()) {
      JobStatus job = polled.get(r.serviceId());
      if (job == null) {
        // A failure observed by an earlier call shows the log tail kept when it was first seen final.
        List<String> tail = writes.tail(r, r.state() == JobState.FAILED && !r.jobId().isEmpty() && ours(r));
        job = new JobStatus(r.state(), r.reason(), r.exitCode(), r.node().isEmpty() ? List.of() : List.of(r.node()),
            r.startedAt(), tail);
        out.add(new ServiceStatus(r, job, endpoint(r, job)));
        continue;
      }
      ServiceRecord updated = update(r, job);
      writes.observed(r, updated, job);
      out.add(new ServiceStatus(updated, job, endpoint(updated, job)));
    }
    writes.commit();
    return out;
  }

  /** Whether this backend runs {@code r}: rows of another backend's config sharing state_dir are shown as stored. */
  private boolean ours(ServiceRecord r) {
    return r.backend().equals(scheduler.name());
  }

  /** Observes one service (used while waiting for it to get ready). */
  ServiceStatus observe(ServiceRecord record) {
    JobStatus job = scheduler.poll(List.of(record.job())).get(record.serviceId());
    ServiceRecord updated = update(record, job);
    store.observe(List.of(updated));
    return new ServiceStatus(updated, job, endpoint(updated, job));
  }

  private ServiceRecord update(ServiceRecord r, JobStatus job) {
    String host = r.host();
    int port = r.port();
    // Read until seen once: a service without a port publishes a host and no port.
    if (host.isEmpty() && job.state() == JobState.RUNNING) {
      Optional<Connection> c = scheduler.connection(r.job());
      if (c.isPresent()) {
        host = c.get().host();
        port = c.get().port();
      }
    }
    String node = job.nodes().isEmpty() ? r.node() : String.join(",", job.nodes());
    Optional<Instant> started = r.startedAt().isPresent() ? r.startedAt() : job.startedAt();
    Optional<Instant> ended = job.state().isFinal() && r.endedAt().isEmpty() ? Optional.of(clock.instant()) : r.endedAt();
    return r.observed(new Observation(job.state(), node, host, port, job.exitCode().or(r::exitCode), started, ended,
        job.reason()));
  }

  private Optional<ServiceEndpoint> endpoint(ServiceRecord r, JobStatus job) {
    if (job.state() != JobState.RUNNING || r.port() == 0) {
      return Optional.empty();
    }
    ServiceEndpoint plain = ServiceEndpoint.of(r.serviceId(), r.name(), r.host(), r.port());
    // A monitor with auth answers HTTPS only.
    return Optional.of(r.isMonitor() && secrets.get(r.serviceId()).isPresent() ? plain.https() : plain);
  }

  /** The credentials of a monitor started from this machine, if it has any. */
  public Optional<PrometheusCredentials> credentials(String serviceId) {
    return secrets.get(serviceId);
  }

  /** The backend's shell, for modules that reach services (queries go through it). */
  public Shell shell() {
    return shell;
  }
}
