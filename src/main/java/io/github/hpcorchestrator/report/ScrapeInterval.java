package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.OrchestratorException;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shortest scrape interval a running Prometheus is configured with, read from its status API. */
public final class ScrapeInterval {
  private static final Pattern LINE = Pattern.compile("(?m)^\\s*scrape_interval:\\s*(\\S{1,32})\\s*$");
  /** The most config text looked at: far more than a generated config, far less than the heap. */
  private static final int MAX_CONFIG_CHARS = 4 * 1024 * 1024;

  private ScrapeInterval() {}

  /**
   * The shortest {@code scrape_interval} (global or a job's) in the config {@code client}'s
   * Prometheus runs with; empty if it cannot be read, so callers keep their own step.
   */
  public static Optional<Duration> of(PrometheusClient client) {
    String yaml;
    try {
      yaml = client.getJson("/api/v1/status/config", Map.of()).path("data").path("yaml").asText("");
    } catch (OrchestratorException e) {
      return Optional.empty();
    }
    return shortest(yaml.length() > MAX_CONFIG_CHARS ? yaml.substring(0, MAX_CONFIG_CHARS) : yaml);
  }

  /** The shortest scrape_interval in a Prometheus config's YAML text. */
  static Optional<Duration> shortest(String yaml) {
    Optional<Duration> best = Optional.empty();
    Matcher m = LINE.matcher(yaml);
    while (m.find()) {
      Duration d;
      try {
        d = PrometheusDuration.parse(m.group(1));
      } catch (IllegalArgumentException e) {
        continue; // not a duration Prometheus would have loaded; the others still tell
      }
      if (!d.isZero() && !d.isNegative() && (best.isEmpty() || d.compareTo(best.get()) < 0)) {
        best = Optional.of(d);
      }
    }
    return best;
  }
}
