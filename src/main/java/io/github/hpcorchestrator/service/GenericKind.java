package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Any service the orchestrator has no special knowledge of: runs the recipe's command and args. */
public final class GenericKind implements ServiceKind {

  @Override
  public String name() {
    return "generic";
  }

  @Override
  public int defaultPort() {
    return 0;
  }

  @Override
  public Optional<String> defaultHealthEndpoint() {
    return Optional.empty();
  }

  @Override
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    String command = spec.command().orElseThrow(() -> new InputException(
        "service '" + spec.name() + "' has no command: a service other than prometheus,"
            + " node_exporter or ollama needs service.command"));
    List<String> argv = new ArrayList<>();
    argv.add(command);
    argv.addAll(spec.args());
    // A service without ports gets no PORT: nothing would listen there.
    int port = requestedPort(spec);
    return new JobSpec(serviceId, argv, port > 0 ? withPort(spec.environment()) : spec.environment(), port,
        spec.resources(), spec.container(), Map.of());
  }

  /** The recipe's environment plus PORT, so a service can read the port it really got. */
  static Map<String, String> withPort(Map<String, String> environment) {
    Map<String, String> env = new java.util.LinkedHashMap<>(environment);
    env.putIfAbsent("PORT", JobSpec.PORT_TOKEN);
    return env;
  }
}
