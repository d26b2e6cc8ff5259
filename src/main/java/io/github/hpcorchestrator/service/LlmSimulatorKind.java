package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.RecipeLoader;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.recipe.SimulatorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The LLM server simulator (simulator/LlmSimulatorMain): the orchestrator's own Java, run like the
 * exporter sidecars, with the recipe's {@code simulator:} settings as flags; Ollama's port.
 */
public final class LlmSimulatorKind implements ServiceKind {
  static final String MAIN = "io.github.hpcorchestrator.simulator.LlmSimulatorMain";

  @Override
  public String name() {
    return RecipeLoader.LLM_SIMULATOR;
  }

  @Override
  public int defaultPort() {
    return 11434;
  }

  @Override
  public Optional<String> defaultHealthEndpoint() {
    return Optional.of("/api/tags");
  }

  @Override
  public boolean runsWithoutContainer() {
    return true;
  }

  @Override
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    SimulatorSpec sim = spec.simulator().orElse(SimulatorSpec.DEFAULTS);
    List<String> argv = new ArrayList<>(context.javaCommand(MAIN));
    argv.add("--listen=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
    argv.add("--ttft=" + sim.ttft().toNanos() + "ns");
    argv.add("--tpot=" + sim.tpot().toNanos() + "ns");
    argv.add("--output-tokens=" + sim.outputTokens());
    argv.add("--error-rate=" + sim.errorRate());
    argv.add("--cut-rate=" + sim.cutRate());
    argv.add("--seed=" + sim.seed());
    argv.addAll(spec.args());
    return new JobSpec(serviceId, argv, spec.environment(), requestedPort(spec), spec.resources(),
        Optional.empty(), Map.of());
  }
}
