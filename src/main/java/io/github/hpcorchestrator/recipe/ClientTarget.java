package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/**
 * A client's target as written in its recipe: exactly one of the three is set.
 *
 * @param serviceId a running service, by ID
 * @param service the service of that name in the same session recipe
 * @param url a server outside the orchestrator, scheme, host and port ({@code http://node3:8000})
 */
public record ClientTarget(Optional<String> serviceId, Optional<String> service, Optional<String> url) {
  /** The target in words for messages, e.g. "service 'llm_simulator'". */
  public String describe() {
    return serviceId.map(id -> "service " + id)
        .or(() -> service.map(s -> "service '" + s + "' of this session"))
        .orElseGet(() -> url.orElse("?"));
  }
}
