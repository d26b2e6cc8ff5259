package io.github.hpcorchestrator;

import java.util.List;

/**
 * What starting a recipe produced.
 *
 * @param sessionId e.g. "session_1"
 * @param serviceIds the services started, in start order
 */
public record SessionStart(String sessionId, List<String> serviceIds) {
  public SessionStart {
    serviceIds = List.copyOf(serviceIds);
  }
}
