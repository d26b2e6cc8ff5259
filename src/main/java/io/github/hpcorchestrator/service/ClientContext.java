package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.prometheus.DiscoveredService;
import java.util.List;

/**
 * What a client job's plan may ask of the orchestrator: the service it targets and how to run the
 * orchestrator's own Java. Narrower than {@link LaunchContext}: a client runs no tools, keeps no
 * data across jobs and has no credentials of its own.
 */
public interface ClientContext {
  /**
   * The running service {@code typedId} (full ID or unique hex part) names.
   *
   * @throws io.github.hpcorchestrator.InputException when it is unknown or not running
   */
  DiscoveredService runningService(String typedId);

  /** The argv that runs {@code mainClass} of the orchestrator's own code where jobs run. */
  List<String> javaCommand(String mainClass);
}
