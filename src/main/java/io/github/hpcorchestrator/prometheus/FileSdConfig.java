package io.github.hpcorchestrator.prometheus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a job's {@code file_sd_configs}: Prometheus re-reads these files for targets.
 *
 * @param files file paths or globs; relative paths are resolved against the config file's folder
 * @param refreshInterval how often the files are re-read besides on change; empty means
 *     Prometheus' default (5m)
 */
public record FileSdConfig(List<String> files, Optional<Duration> refreshInterval) {

  public FileSdConfig {
    files = List.copyOf(files);
  }

  /** Files re-read at Prometheus' default interval. */
  public static FileSdConfig of(String... files) {
    return new FileSdConfig(List.of(files), Optional.empty());
  }
}
