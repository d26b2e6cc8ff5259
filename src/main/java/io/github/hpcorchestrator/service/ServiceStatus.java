package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.prometheus.DiscoveredService;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One service as observed now: what state remembers, what the scheduler says, and where it listens.
 *
 * @param record the stored record, already updated with this observation
 * @param job the scheduler's observation
 * @param endpoint where it can be reached while it runs
 */
public record ServiceStatus(ServiceRecord record, JobStatus job, Optional<ServiceEndpoint> endpoint) {

  public String serviceId() {
    return record.serviceId();
  }

  public JobState state() {
    return job.state();
  }

  /**
   * Whether it runs without any port: its job published a connection with none, because its
   * recipe lists no ports. It has no endpoint by design, not one still to come.
   */
  public boolean runsWithoutPort() {
    return job.state() == JobState.RUNNING && !record.host().isEmpty() && record.port() == 0;
  }

  /** It as monitors' discovery sees it, without sidecars; port 0 for a service without a port. */
  public DiscoveredService discovered() {
    return new DiscoveredService(record.serviceId(), record.name(), record.jobId(), record.node(),
        endpoint.map(ServiceEndpoint::host).orElse(record.host()), endpoint.map(ServiceEndpoint::port).orElse(0),
        record.sessionId(), java.util.Map.of(), record.requestedPort());
  }

  /** How long it has run (until now, or until it ended); zero if it never started. */
  public Duration elapsed(Instant now) {
    Optional<Instant> start = record.startedAt();
    if (start.isEmpty()) {
      return Duration.ZERO;
    }
    Instant end = record.endedAt().orElse(now);
    return end.isBefore(start.get()) ? Duration.ZERO : Duration.between(start.get(), end);
  }
}
