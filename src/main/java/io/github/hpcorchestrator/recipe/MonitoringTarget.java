package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/**
 * One scrape target of a Prometheus service: either a service (by ID, resolved to its host at
 * config time) or a fixed host.
 *
 * @param serviceId full service ID or its unique hex part; empty when {@code host} is set
 * @param host fixed host name; empty when {@code serviceId} is set
 * @param jobName Prometheus job name, unique within the recipe
 * @param port port to scrape; empty means the service's actual port (required with {@code host})
 * @param metricsPath HTTP path of the metrics, default "/metrics"
 */
public record MonitoringTarget(
    Optional<String> serviceId,
    Optional<String> host,
    String jobName,
    Optional<Integer> port,
    String metricsPath) {}
