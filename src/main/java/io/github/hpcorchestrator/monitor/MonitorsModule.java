package io.github.hpcorchestrator.monitor;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.service.ServersModule;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The spec's MonitorsModule: Prometheus instances run as services, and this module starts them,
 * reports on them and queries them. Queries reach Prometheus through the backend's shell, so the
 * same call works on this machine and through the cluster's login node.
 */
public final class MonitorsModule {
  /** The monitor kinds that can be started. */
  public static final List<String> AVAILABLE = List.of("prometheus");

  private final ServersModule servers;

  public MonitorsModule(ServersModule servers) {
    this.servers = servers;
  }

  /** Starts a Prometheus from {@code recipe}, waits until it scraped its targets, returns its ID. */
  public String startMonitor(ServiceSpec recipe) {
    requireMonitorSpec(recipe);
    return servers.startService(recipe);
  }

  /** Stops a monitor; false if it had already ended. */
  public boolean stopMonitor(String monitorId) {
    return servers.stopService(monitor(monitorId).serviceId());
  }

  /** The monitor's status in the spec's fields. */
  public MonitorStatus checkMonitorStatus(String monitorId) {
    ServiceStatus s = monitor(monitorId);
    return new MonitorStatus(s.serviceId(), s.state().name().toLowerCase(java.util.Locale.ROOT),
        s.record().jobId(),
        s.record().node().isEmpty() ? List.of() : Arrays.asList(s.record().node().split(",")),
        epochSeconds(s.record().submittedAt()), s.record().startedAt().map(MonitorsModule::epochSeconds));
  }

  /** The Prometheus URL as its node sees it (e.g. {@code http://node2:9090}), if it runs. */
  public Optional<String> getMonitorEndpoint(String monitorId) {
    return monitor(monitorId).endpoint().map(ServiceEndpoint::api);
  }

  /** Runs an instant PromQL query on the monitor. */
  public QueryResult queryMetrics(String monitorId, String promql) {
    return client(monitorId).query(promql);
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

  /** A client for the monitor's HTTP API, reached through the backend's shell. */
  public PrometheusClient client(String monitorId) {
    ServiceStatus s = monitor(monitorId);
    ServiceEndpoint endpoint = s.endpoint().orElseThrow(() -> new io.github.hpcorchestrator.OperationFailedException(
        "monitor " + s.serviceId() + " is " + s.state() + ", not running: nothing to query"));
    InetSocketAddress address = servers.shell().reach(endpoint.host(), endpoint.port());
    return PrometheusClient.of(URI.create("http://" + address.getHostString() + ":" + address.getPort()));
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
