package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.Optional;

/**
 * What a kind of service (prometheus, node_exporter, ollama, generic) adds to a recipe: its
 * default command, port and health check.
 */
public interface ServiceKind {

  /** The recipe service name this kind handles; "generic" handles every other name. */
  String name();

  /** The port used when the recipe lists none (0: the service needs no port). */
  int defaultPort();

  /** The health endpoint used when the recipe has no health_check (empty: the port accepting is enough). */
  Optional<String> defaultHealthEndpoint();

  /**
   * The job that runs {@code spec} as service {@code serviceId}.
   *
   * @throws io.github.hpcorchestrator.InputException when the recipe cannot run as this kind
   */
  JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context);

  /**
   * Whether a service whose health check already passes is fully ready; a Prometheus is ready
   * once every target has been scraped, so a query right after start sees them.
   *
   * @throws NotServingException when the service answers but can never serve
   */
  default boolean ready(String serviceId, java.net.InetSocketAddress address,
      java.util.function.Consumer<String> progress) {
    return true;
  }

  /**
   * This kind as it readies one service just submitted as {@code job} on {@code backend}; a kind
   * whose readiness depends on the recipe (an Ollama's models) returns one that knows it.
   */
  default ServiceKind forStart(ServiceSpec spec, JobSpec job, String backend) {
    return this;
  }

  /**
   * Whether {@link #ready} connects to the service itself and fails while nothing answers, so no
   * bare TCP probe comes first: a TLS server logs every bare connection as a failed handshake.
   */
  default boolean readyConnects() {
    return false;
  }

  /**
   * The HTTP health endpoint for a service of this kind without a health_check of its own, on
   * {@code backend}; empty means the port accepting (and {@link #ready}) is the test.
   */
  default Optional<String> healthEndpoint(ServiceSpec spec, String backend) {
    return defaultHealthEndpoint();
  }

  /**
   * Whether a service of this kind can run without the container its recipe names, when no
   * container runtime is there: the orchestrator brings or finds its program itself.
   */
  default boolean runsWithoutContainer() {
    return false;
  }

  /** The port a service of this kind asks for. */
  default int requestedPort(ServiceSpec spec) {
    return spec.mainPort().orElse(defaultPort());
  }
}
