package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ollama LLM server: {@code ollama serve} on port 11434, ready when /api/tags answers. */
public final class OllamaKind implements ServiceKind {

  @Override
  public String name() {
    return "ollama";
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
  public JobSpec plan(ServiceSpec spec, String serviceId, LaunchContext context) {
    List<String> argv = new ArrayList<>();
    argv.add(spec.command().orElse("ollama"));
    argv.addAll(spec.args().isEmpty() ? List.of("serve") : spec.args());
    Map<String, String> env = new LinkedHashMap<>(spec.environment());
    // Ollama reads its listen address from OLLAMA_HOST; the recipe's value names the requested
    // port, which the job may have had to replace.
    env.put("OLLAMA_HOST", JobSpec.LISTEN_TOKEN + ":" + JobSpec.PORT_TOKEN);
    return new JobSpec(serviceId, argv, env, requestedPort(spec), spec.resources(), spec.container(), Map.of());
  }
}
