package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.cluster.Connection;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What service kinds may ask while one service is planned: executables, running services (observed
 * at most once per plan), the session; it keeps the credentials the plan drew.
 */
final class PlanningContext implements LaunchContext {
  private final String sessionId;
  private final Scheduler scheduler;
  private final Function<String, String> executables;
  private final RuntimeBundle runtime;
  private final SecureRandom random;
  private final Supplier<List<ServiceStatus>> refresh;
  private List<ServiceStatus> statuses;
  private List<DiscoveredService> running;
  private PrometheusCredentials credentials;

  /** @param refresh observes every service; asked at most once, and only when a kind needs it */
  PlanningContext(String sessionId, Scheduler scheduler, Function<String, String> executables, RuntimeBundle runtime,
      SecureRandom random, Supplier<List<ServiceStatus>> refresh) {
    this.sessionId = sessionId;
    this.scheduler = scheduler;
    this.executables = executables;
    this.runtime = runtime;
    this.random = random;
    this.refresh = refresh;
  }

  /** The credentials drawn while planning, if the kind asked for any. */
  Optional<PrometheusCredentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  @Override
  public String executable(String tool) {
    return executables.apply(tool);
  }

  private List<ServiceStatus> statuses() {
    if (statuses == null) {
      statuses = refresh.get();
    }
    return statuses;
  }

  @Override
  public DiscoveredService runningService(String typedId) {
    String id = ServiceIdResolver.resolve(typedId, statuses().stream().map(ServiceStatus::serviceId).toList());
    ServiceStatus s = statuses().stream().filter(x -> x.serviceId().equals(id)).findFirst().orElseThrow();
    if (s.endpoint().isEmpty() && !s.runsWithoutPort()) {
      throw new InputException("service " + id + " is " + s.state() + ", not RUNNING with a known port");
    }
    return runningServices().stream().filter(d -> d.serviceId().equals(id)).findFirst().orElse(s.discovered());
  }

  @Override
  public List<DiscoveredService> runningServices() {
    if (running == null) {
      running = readRunningServices();
    }
    return running;
  }

  private List<DiscoveredService> readRunningServices() {
    // The connection files add each service's sidecar (exporter) ports.
    // A service without a port is no target itself (port 0), but its exporters' sidecars are.
    return statuses().stream().filter(s -> s.endpoint().isPresent() || s.runsWithoutPort()).map(s -> {
      DiscoveredService d = s.discovered();
      Map<String, Integer> sidecars = scheduler.connection(s.record().job()).map(Connection::sidecarPorts)
          .orElse(Map.of());
      return new DiscoveredService(d.serviceId(), d.name(), d.jobId(), d.node(), d.host(), d.port(), d.sessionId(),
          sidecars, d.requestedPort());
    }).toList();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String backend() {
    return scheduler.name();
  }

  @Override
  public String schedulerRoot() {
    return scheduler.rootDir();
  }

  @Override
  public String dataDir() {
    // The local scheduler keeps its service folders in <state_dir>/services.
    String root = scheduler.rootDir();
    return scheduler.name().equals("local") ? Path.of(root).getParent().toString() : root;
  }

  @Override
  public PrometheusCredentials newCredentials() {
    credentials = PrometheusCredentials.generate(random);
    return credentials;
  }

  @Override
  public List<String> javaCommand(String mainClass) {
    return runtime.javaCommand(mainClass, scheduler.name().equals("local"));
  }
}
