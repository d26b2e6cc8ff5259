package io.github.hpcorchestrator.recipe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable, validated description of one service as a recipe declares it; says nothing about
 * where or whether it runs.
 *
 * @param name service name; also selects the service kind (prometheus, node_exporter, ollama, or generic)
 * @param description free text, may be empty
 * @param command program to run (generic kinds); empty means the kind's default
 * @param args arguments after the command, never passed through a shell
 * @param container optional container to run the command in
 * @param resources scheduler resources; every field optional
 * @param environment environment variables for the service, in recipe order
 * @param ports requested ports; the first is the service's main port
 * @param healthCheck optional readiness probe
 * @param monitoringTargets what a Prometheus service scrapes besides itself
 * @param scrapeInterval Prometheus scrape interval (prometheus kind only), e.g. "15s"; empty means the default
 * @param exporters sidecar exporters to run next to the service: probe, node, gpu, ollama
 * @param auth (prometheus) TLS and basic auth on its web endpoints; empty means the backend's default
 *     (on for SLURM, off for local)
 * @param models (ollama) models pulled through Ollama's /api/pull before the service counts as ready
 * @param setup shell lines the job runs first, as written (after the config's slurm.setup)
 * @param simulator (llm_simulator) its timings, output length and error rates; empty means the defaults
 */
public record ServiceSpec(
    String name,
    String description,
    Optional<String> command,
    List<String> args,
    Optional<ContainerSpec> container,
    ResourceSpec resources,
    Map<String, String> environment,
    List<Integer> ports,
    Optional<HealthCheck> healthCheck,
    List<MonitoringTarget> monitoringTargets,
    Optional<String> scrapeInterval,
    List<String> exporters,
    Optional<Boolean> auth,
    List<String> models,
    List<String> setup,
    Optional<SimulatorSpec> simulator) {

  /** The exporters a recipe may ask for. */
  public static final List<String> EXPORTERS = List.of("probe", "node", "gpu", "ollama");

  /** A service without sidecar exporters. */
  public ServiceSpec(String name, String description, Optional<String> command, List<String> args,
      Optional<ContainerSpec> container, ResourceSpec resources, Map<String, String> environment,
      List<Integer> ports, Optional<HealthCheck> healthCheck, List<MonitoringTarget> monitoringTargets,
      Optional<String> scrapeInterval) {
    this(name, description, command, args, container, resources, environment, ports, healthCheck, monitoringTargets,
        scrapeInterval, List.of(), Optional.empty());
  }

  /** A service with exporters and the backend's default for auth. */
  public ServiceSpec(String name, String description, Optional<String> command, List<String> args,
      Optional<ContainerSpec> container, ResourceSpec resources, Map<String, String> environment,
      List<Integer> ports, Optional<HealthCheck> healthCheck, List<MonitoringTarget> monitoringTargets,
      Optional<String> scrapeInterval, List<String> exporters) {
    this(name, description, command, args, container, resources, environment, ports, healthCheck, monitoringTargets,
        scrapeInterval, exporters, Optional.empty());
  }

  /** A service that pulls no models. */
  public ServiceSpec(String name, String description, Optional<String> command, List<String> args,
      Optional<ContainerSpec> container, ResourceSpec resources, Map<String, String> environment,
      List<Integer> ports, Optional<HealthCheck> healthCheck, List<MonitoringTarget> monitoringTargets,
      Optional<String> scrapeInterval, List<String> exporters, Optional<Boolean> auth) {
    this(name, description, command, args, container, resources, environment, ports, healthCheck, monitoringTargets,
        scrapeInterval, exporters, auth, List.of());
  }

  /** A service without setup lines. */
  public ServiceSpec(String name, String description, Optional<String> command, List<String> args,
      Optional<ContainerSpec> container, ResourceSpec resources, Map<String, String> environment,
      List<Integer> ports, Optional<HealthCheck> healthCheck, List<MonitoringTarget> monitoringTargets,
      Optional<String> scrapeInterval, List<String> exporters, Optional<Boolean> auth, List<String> models) {
    this(name, description, command, args, container, resources, environment, ports, healthCheck, monitoringTargets,
        scrapeInterval, exporters, auth, models, List.of());
  }

  /** A service that is no simulator. */
  public ServiceSpec(String name, String description, Optional<String> command, List<String> args,
      Optional<ContainerSpec> container, ResourceSpec resources, Map<String, String> environment,
      List<Integer> ports, Optional<HealthCheck> healthCheck, List<MonitoringTarget> monitoringTargets,
      Optional<String> scrapeInterval, List<String> exporters, Optional<Boolean> auth, List<String> models,
      List<String> setup) {
    this(name, description, command, args, container, resources, environment, ports, healthCheck, monitoringTargets,
        scrapeInterval, exporters, auth, models, setup, Optional.empty());
  }

  public ServiceSpec {
    models = List.copyOf(models);
    exporters = List.copyOf(exporters);
    args = List.copyOf(args);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    ports = List.copyOf(ports);
    monitoringTargets = List.copyOf(monitoringTargets);
    setup = List.copyOf(setup);
  }

  /** The same service with {@code other} as its container (empty: it runs natively). */
  public ServiceSpec withContainer(Optional<ContainerSpec> other) {
    return new ServiceSpec(name, description, command, args, other, resources, environment, ports, healthCheck,
        monitoringTargets, scrapeInterval, exporters, auth, models, setup, simulator);
  }

  /** The first requested port, if any. */
  public Optional<Integer> mainPort() {
    return ports.isEmpty() ? Optional.empty() : Optional.of(ports.get(0));
  }
}
