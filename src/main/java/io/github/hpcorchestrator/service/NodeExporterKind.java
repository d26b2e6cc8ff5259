package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Prometheus node exporter: host metrics of the node it runs on, on port 9100. */
public final class NodeExporterKind implements ServiceKind {

  @Override
  public String name() {
    return "node_exporter";
  }

  @Override
  public int defaultPort() {
    return 9100;
  }

  @Override
  public Optional<String> defaultHealthEndpoint() {
    return Optional.of("/metrics");
  }

  @Override
  public boolean runsWithoutContainer() {
    return true;
  }

  @Override
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.command().orElseGet(() -> context.program(spec, "node_exporter")));
    argv.add("--web.listen-address=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
    argv.addAll(spec.args());
    return new JobSpec(serviceId, argv, spec.environment(), requestedPort(spec), spec.resources(),
        spec.container(), Map.of());
  }
}
