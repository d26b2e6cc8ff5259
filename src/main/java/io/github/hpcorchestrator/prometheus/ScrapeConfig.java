package io.github.hpcorchestrator.prometheus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scrape job of prometheus.yml. Immutable. The writer leaves out {@code metrics_path} and
 * {@code scheme} when they equal Prometheus' defaults ({@value #DEFAULT_METRICS_PATH},
 * {@value #DEFAULT_SCHEME}), so the rendered file reads like a hand-written one.
 *
 * @param jobName the {@code job} label of every series scraped by this job; must not be blank
 * @param metricsPath HTTP path of the metrics
 * @param scheme "http" or "https"
 * @param scrapeInterval overrides the global interval for this job
 * @param staticConfigs fixed target groups
 * @param fileSdConfigs files that list more target groups
 */
public record ScrapeConfig(
    String jobName,
    String metricsPath,
    String scheme,
    Optional<Duration> scrapeInterval,
    List<StaticConfig> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    Optional<ScrapeAuth> auth) {

  public static final String DEFAULT_METRICS_PATH = "/metrics";
  public static final String DEFAULT_SCHEME = "http";

  public ScrapeConfig {
    if (jobName.isBlank()) {
      throw new IllegalArgumentException("scrape job name must not be blank");
    }
    staticConfigs = List.copyOf(staticConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
  }

  /** A job without authentication. */
  public ScrapeConfig(String jobName, String metricsPath, String scheme, Optional<Duration> scrapeInterval,
      List<StaticConfig> staticConfigs, List<FileSdConfig> fileSdConfigs) {
    this(jobName, metricsPath, scheme, scrapeInterval, staticConfigs, fileSdConfigs, Optional.empty());
  }

  /** This job over HTTPS with basic auth. */
  public ScrapeConfig withAuth(ScrapeAuth newAuth) {
    return new ScrapeConfig(jobName, metricsPath, "https", scrapeInterval, staticConfigs, fileSdConfigs,
        Optional.of(newAuth));
  }

  /** A job scraping fixed {@code host:port} targets with default path, scheme and interval. */
  public static ScrapeConfig ofStatic(String jobName, List<String> targets) {
    return new ScrapeConfig(jobName, DEFAULT_METRICS_PATH, DEFAULT_SCHEME, Optional.empty(),
        List.of(new StaticConfig(targets, Map.of())), List.of());
  }

  /** A job whose targets come from file_sd files. */
  public static ScrapeConfig ofFileSd(String jobName, FileSdConfig files) {
    return new ScrapeConfig(jobName, DEFAULT_METRICS_PATH, DEFAULT_SCHEME, Optional.empty(),
        List.of(), List.of(files));
  }

  /** This job with another metrics path. */
  public ScrapeConfig withMetricsPath(String path) {
    return new ScrapeConfig(jobName, path, scheme, scrapeInterval, staticConfigs, fileSdConfigs, auth);
  }

  /** This job with another scheme. */
  public ScrapeConfig withScheme(String newScheme) {
    return new ScrapeConfig(jobName, metricsPath, newScheme, scrapeInterval, staticConfigs, fileSdConfigs, auth);
  }

  /** This job with its own scrape interval. */
  public ScrapeConfig withScrapeInterval(Duration interval) {
    return new ScrapeConfig(jobName, metricsPath, scheme, Optional.of(interval), staticConfigs, fileSdConfigs, auth);
  }
}
