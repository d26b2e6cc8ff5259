package io.github.hpcorchestrator;

import io.github.hpcorchestrator.service.ServiceStatus;
import java.util.List;

/**
 * Everything the orchestrator knows, from one scheduler poll.
 *
 * @param backend "local" or "slurm"
 * @param services every known service, monitors included
 * @param monitors the services that are Prometheus monitors
 */
public record SystemStatus(String backend, List<ServiceStatus> services, List<ServiceStatus> monitors) {
  public SystemStatus {
    services = List.copyOf(services);
    monitors = List.copyOf(monitors);
  }
}
