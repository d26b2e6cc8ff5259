package io.github.hpcorchestrator.prometheus;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code global:} section of prometheus.yml. Immutable; labels are kept sorted by name so the
 * rendered file does not depend on the caller's map order.
 *
 * @param scrapeInterval how often targets are scraped unless a job says otherwise
 * @param evaluationInterval how often rules are evaluated
 * @param externalLabels labels added to every series when talking to external systems; may be empty
 */
public record GlobalConfig(Duration scrapeInterval, Duration evaluationInterval, Map<String, String> externalLabels) {

  public GlobalConfig {
    externalLabels = Collections.unmodifiableMap(new TreeMap<>(externalLabels));
  }

  /** Scrape and evaluate at the same interval, no external labels. */
  public static GlobalConfig every(Duration interval) {
    return new GlobalConfig(interval, interval, Map.of());
  }
}
