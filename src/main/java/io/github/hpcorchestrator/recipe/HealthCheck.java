package io.github.hpcorchestrator.recipe;

import java.time.Duration;

/**
 * HTTP readiness probe: the service is ready once GET {@code endpoint} answers 2xx.
 *
 * @param endpoint path starting with '/'
 * @param timeout per-request timeout
 * @param retries how many failed probes are tolerated before giving up
 * @param interval pause between probes
 */
public record HealthCheck(String endpoint, Duration timeout, int retries, Duration interval) {

  /** The longest a readiness wait may take under this check. */
  public Duration deadline() {
    return interval.plus(timeout).multipliedBy(Math.max(1, retries));
  }
}
