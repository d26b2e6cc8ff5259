package io.github.hpcorchestrator.report;

/**
 * One metric a report plots: what it is called and how Prometheus computes it.
 *
 * @param name stable identifier, used as JSON key and as the plot's {@code data-metric}
 * @param title heading for people
 * @param unit how values read: {@code bytes}, {@code seconds}, {@code cores}, or empty for a
 *     plain number
 * @param promql the range query
 */
public record MetricQuery(String name, String title, String unit, String promql) {}
