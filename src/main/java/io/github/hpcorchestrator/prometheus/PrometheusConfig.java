package io.github.hpcorchestrator.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole prometheus.yml as a typed, immutable value; render it with {@link PrometheusConfigWriter}.
 *
 * @param global the global section
 * @param scrapeConfigs scrape jobs in file order; job names are unique
 * @throws IllegalArgumentException on duplicate job names (Prometheus refuses those at load)
 */
public record PrometheusConfig(GlobalConfig global, List<ScrapeConfig> scrapeConfigs) {

  /** Job name of the self-scrape job {@link #forService} puts first. */
  public static final String SELF_JOB = "prometheus";

  public PrometheusConfig {
    scrapeConfigs = List.copyOf(scrapeConfigs);
    Set<String> seen = new HashSet<>();
    for (ScrapeConfig job : scrapeConfigs) {
      if (!seen.add(job.jobName())) {
        throw new IllegalArgumentException("duplicate scrape job name: " + job.jobName());
      }
    }
  }

  /**
   * The config of an orchestrator-run Prometheus: scrape and evaluate every {@code scrapeInterval},
   * a first job named {@value #SELF_JOB} scraping Prometheus itself at {@code selfTarget}, then
   * {@code targets} in the given order.
   *
   * @param selfTarget Prometheus' own {@code host:port}, e.g. "localhost:9090"
   * @throws IllegalArgumentException if a target job is also named {@value #SELF_JOB}
   */
  public static PrometheusConfig forService(String selfTarget, Duration scrapeInterval, List<ScrapeConfig> targets) {
    List<ScrapeConfig> jobs = new ArrayList<>(targets.size() + 1);
    jobs.add(ScrapeConfig.ofStatic(SELF_JOB, List.of(selfTarget)));
    jobs.addAll(targets);
    return new PrometheusConfig(GlobalConfig.every(scrapeInterval), jobs);
  }
}
