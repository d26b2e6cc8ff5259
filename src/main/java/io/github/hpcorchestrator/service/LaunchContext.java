package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.recipe.MonitoringTarget;

/** What a service kind may ask of the orchestrator while it plans a job. */
public interface LaunchContext {

  /**
   * The executable to run for {@code tool} (e.g. "prometheus") on the side where jobs run; on the
   * local backend it is located (or installed) first.
   */
  String executable(String tool);

  /** "host:port" where Prometheus reaches {@code target}, with a service ID resolved to its node. */
  String scrapeAddress(MonitoringTarget target);
}
