package io.github.hpcorchestrator.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.net.URI;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Probes one HTTP health endpoint at every scrape, like a one-target blackbox exporter. Success is
 * a 2xx answer within the timeout; redirects are not followed. Adds no labels: the scraping
 * Prometheus adds the target's.
 */
public final class ProbeExporter implements MultiCollector {

  static final String SUCCESS = "probe_success";
  static final String DURATION = "probe_duration_seconds";
  static final String STATUS = "probe_http_status_code";

  private final URI target;
  private final DeadlineHttpClient http;
  private final LongSupplier nanoTime;

  /**
   * @param target the full health URL, e.g. {@code http://127.0.0.1:8000/health}
   * @param http the client and its deadline
   * @param nanoTime the clock for the probe's duration ({@link System#nanoTime} outside tests)
   */
  public ProbeExporter(URI target, DeadlineHttpClient http, LongSupplier nanoTime) {
    this.target = target;
    this.http = http;
    this.nanoTime = nanoTime;
  }

  @Override
  public MetricSnapshots collect() {
    long start = nanoTime.getAsLong();
    DeadlineHttpClient.Answer answer = http.get(target);
    double seconds = (nanoTime.getAsLong() - start) / 1e9;
    Gauges gauges = new Gauges()
        .declare(SUCCESS, "1 if the health endpoint answered 2xx within the timeout, else 0", null)
        .declare(DURATION, "How long the probe took, in seconds", Unit.SECONDS)
        .declare(STATUS, "HTTP status of the health endpoint's answer; 0 when there was none", null);
    gauges.set(SUCCESS, answer.ok() ? 1 : 0);
    gauges.set(DURATION, seconds);
    gauges.set(STATUS, answer.status().orElse(0));
    return gauges.build();
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(SUCCESS, DURATION, STATUS);
  }
}
