package io.github.hpcorchestrator.prometheus;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One active scrape target as Prometheus last saw it (from {@code /api/v1/targets}). Immutable.
 *
 * @param job the target's {@code job} label
 * @param instance the target's {@code instance} label, usually {@code host:port}
 * @param scrapeUrl the URL Prometheus scrapes
 * @param health up, down, or unknown before the first scrape
 * @param lastScrape when it was last scraped; empty if never
 * @param lastError the last scrape's error; empty when it succeeded
 * @param labels all target labels after relabelling, sorted by name
 */
public record TargetHealth(
    String job,
    String instance,
    String scrapeUrl,
    Health health,
    Optional<Instant> lastScrape,
    String lastError,
    Map<String, String> labels) {

  public TargetHealth {
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** Scrape health as Prometheus reports it. */
  public enum Health {
    UP,
    DOWN,
    UNKNOWN
  }
}
