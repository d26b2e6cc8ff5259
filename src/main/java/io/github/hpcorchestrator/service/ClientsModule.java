package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.recipe.ClientSpec;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts benchmark clients as jobs like services: an ID {@code <name>_<8 hex>}, a state row recorded
 * before submit (so {@code --status}, {@code --stop-service} and orphan adoption treat it as any service),
 * no port and no readiness wait; the job ends by itself when its load is done.
 */
public final class ClientsModule {
  private static final int MAX_ID_ATTEMPTS = 16;
  private static final String SESSION_FILE = "session";
  /** The session a dry run's jobs name: none is opened. */
  public static final String DRY_RUN_SESSION = "(dry run)";

  private final ServersModule servers;
  private final Scheduler scheduler;
  private final StateStore store;
  private final ServiceId ids;
  private final RuntimeBundle runtime;
  private final ClientJobs jobs;
  private final Clock clock;

  /** @param runtime the orchestrator's own code where jobs run, which the client job runs */
  public ClientsModule(ServersModule servers, Scheduler scheduler, StateStore store, ServiceId ids,
      RuntimeBundle runtime, Clock clock) {
    this.servers = servers;
    this.scheduler = scheduler;
    this.store = store;
    this.ids = ids;
    this.runtime = runtime;
    this.jobs = new ClientJobs(servers::credentials);
    this.clock = clock;
  }

  /**
   * Submits {@code spec} as a client of {@code sessionId} and returns its ID once the job is submitted.
   *
   * @param sessionServices IDs of the session's services by recipe name, which its target may name
   * @throws InputException when its target is not running with a port, or its prompts file went away
   */
  public String start(ClientSpec spec, String sessionId, String recipe, Map<String, String> sessionServices) {
    Optional<String> prompts = prompts(spec);
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String clientId = ids.generate(spec.name());
      JobSpec job = jobs.plan(spec, clientId, sessionServices, prompts, new Context(this::running))
          .withFile(SESSION_FILE, sessionId + "\n");
      runtime.prepare(); // ClientMain and its jars are where the job runs before anything is recorded
      ServiceRecord pending = new ServiceRecord(clientId, spec.name(), sessionId, scheduler.name(), "",
          scheduler.folderOf(clientId), 0, JobState.PENDING, "", "", 0, Optional.empty(), clock.instant(),
          Optional.empty(), Optional.empty(), recipe);
      if (!store.insert(pending)) {
        continue; // the ID is taken: draw again
      }
      SubmittedJob submitted;
      try {
        submitted = scheduler.submit(job);
      } catch (RuntimeException e) {
        store.observe(List.of(SubmitFailure.record(pending, e, clock.instant())));
        throw e;
      }
      store.put(pending.submitted(submitted));
      return clientId;
    }
    throw new OperationFailedException("could not draw a free ID for client " + spec.name());
  }

  /**
   * The job script (and files) a start of {@code spec} would submit, secrets left out, starting nothing.
   * A target among the session's own services is not running yet: its host shows as a placeholder and its
   * port is the one its recipe asks for.
   *
   * @param planned the session's services as the dry run planned them, by recipe name
   * @throws InputException when the start would fail on its target or its prompts file
   */
  public String render(ClientSpec spec, Map<String, ServicePlan> planned) {
    Map<String, String> byName = new HashMap<>();
    Map<String, ServicePlan> byId = new HashMap<>();
    planned.forEach((name, plan) -> {
      byName.put(name, plan.serviceId());
      byId.put(plan.serviceId(), plan);
    });
    Function<String, DiscoveredService> lookup = typedId -> {
      ServicePlan plan = byId.get(typedId);
      if (plan == null) {
        return running(typedId);
      }
      int port = plan.job().requestedPort();
      return new DiscoveredService(plan.serviceId(), plan.name(), "", "", "<node of " + plan.serviceId() + ">",
          port, DRY_RUN_SESSION, Map.of(), port);
    };
    // A planned Prometheus with auth is reached over https with the credentials it was planned with.
    ClientJobs planning = new ClientJobs(id -> byId.containsKey(id) ? byId.get(id).credentials() : servers.credentials(id));
    JobSpec job = planning.plan(spec, ids.generate(spec.name()), byName, prompts(spec), new Context(lookup))
        .withFile(SESSION_FILE, DRY_RUN_SESSION + "\n");
    return JobPlanner.describe(scheduler.renderScript(job), job);
  }

  private Optional<String> prompts(ClientSpec spec) {
    return spec.promptsFile().map(file -> {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InputException(file + ": prompts file cannot be read any more: " + e.getClass().getSimpleName());
      }
    });
  }

  private DiscoveredService running(String typedId) {
    ServiceStatus status = servers.checkServiceStatus(typedId);
    if (status.endpoint().isEmpty()) {
      throw new InputException("client target: service " + status.serviceId() + " is " + status.state()
          + ", not RUNNING with a known port");
    }
    return status.discovered();
  }

  /** What a client's plan may ask: the service it targets (through {@code lookup}) and the Java command. */
  private final class Context implements ClientContext {
    private final Function<String, DiscoveredService> lookup;

    Context(Function<String, DiscoveredService> lookup) {
      this.lookup = lookup;
    }

    @Override
    public DiscoveredService runningService(String typedId) {
      return lookup.apply(typedId);
    }

    @Override
    public List<String> javaCommand(String mainClass) {
      return runtime.javaCommand(mainClass, scheduler.name().equals("local"));
    }
  }
}
