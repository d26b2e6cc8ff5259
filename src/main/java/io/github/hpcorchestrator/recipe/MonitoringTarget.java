package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/**
 * One scrape target of a Prometheus service. Exactly one selector is set: a service by ID, every
 * service of a recipe name (now and later), every service of the monitor's session, or a fixed host.
 *
 * @param serviceId full service ID or its unique hex part
 * @param host fixed host name
 * @param service recipe service name: every service of that name, including ones started later
 * @param session true: every service of the monitor's own session
 * @param jobName Prometheus job name, unique within the recipe
 * @param port port to scrape; empty means each service's actual port (required with {@code host})
 * @param metricsPath HTTP path of the metrics, default "/metrics"
 */
public record MonitoringTarget(
    Optional<String> serviceId,
    Optional<String> host,
    Optional<String> service,
    boolean session,
    String jobName,
    Optional<Integer> port,
    String metricsPath) {

  /** A target by service ID or host, as the original recipes write them. */
  public MonitoringTarget(Optional<String> serviceId, Optional<String> host, String jobName, Optional<Integer> port,
      String metricsPath) {
    this(serviceId, host, Optional.empty(), false, jobName, port, metricsPath);
  }

  /** Whether this target names services (followed by discovery) rather than a fixed host. */
  public boolean followsServices() {
    return host.isEmpty();
  }
}
