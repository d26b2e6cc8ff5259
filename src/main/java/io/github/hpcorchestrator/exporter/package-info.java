/**
 * Sidecar exporters: small processes started next to a service (same job, same node) that give
 * Prometheus metrics to services that have none. Each exporter is a {@code *Main} class with a
 * plain {@code main(String[])}, run as
 * {@code java -cp hpc-orchestrator.jar io.github.hpcorchestrator.exporter.OllamaMain --listen 0.0.0.0:9400}.
 *
 * <p>Every exporter is a {@link io.prometheus.metrics.model.registry.MultiCollector} that asks its
 * target at scrape time, bounded by a short timeout, so each scrape is fresh and no background
 * thread polls. A target that is down, slow or answers nonsense is a metric ({@code *_up 0}),
 * never a failed scrape.
 */
package io.github.hpcorchestrator.exporter;
