package io.github.hpcorchestrator.status;

import java.util.List;
import java.util.Optional;

/**
 * The spec's check_monitor_status answer.
 *
 * @param monitorId the Prometheus service ID
 * @param status lower-case state: pending, running, completed, failed, cancelled, unknown
 * @param jobId scheduler job ID
 * @param nodes nodes it runs on
 * @param submittedAt epoch seconds
 * @param startedAt epoch seconds, empty until it ran
 */
public record MonitorStatus(
    String monitorId,
    String status,
    String jobId,
    List<String> nodes,
    double submittedAt,
    Optional<Double> startedAt) {

  public MonitorStatus {
    nodes = List.copyOf(nodes);
  }
}
