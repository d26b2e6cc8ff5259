package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.prometheus.PrometheusCredentials;
import io.github.hpcorchestrator.recipe.HealthCheck;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.Optional;

/**
 * One service planned once: the dry run prints this value and the start submits it, so its ID,
 * job, credentials and health check are drawn, rendered and checked a single time.
 *
 * @param spec the recipe's service
 * @param kind the kind that planned it (and that waits for it to get ready)
 * @param serviceId its ID, drawn for this plan and kept by the start
 * @param sessionId the session it starts in
 * @param job what the scheduler is asked to run, its session file included
 * @param credentials the credentials its job was planned with (a Prometheus with auth), if any
 * @param health how the start decides it is ready, if it can be asked
 */
public record ServicePlan(ServiceSpec spec, ServiceKind kind, String serviceId, String sessionId, JobSpec job,
    Optional<PrometheusCredentials> credentials, Optional<HealthCheck> health) {

  /** The recipe's service name (selects the kind). */
  public String name() {
    return spec.name();
  }
}
