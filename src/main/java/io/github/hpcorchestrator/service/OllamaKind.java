package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Ollama LLM server: {@code ollama serve} on port 11434, ready when /api/tags answers and the
 * recipe's models are pulled.
 */
public final class OllamaKind implements ServiceKind {
  /** The variable that names Ollama's models folder. */
  static final String MODELS_VARIABLE = "OLLAMA_MODELS";
  /** The models folder's name in the orchestrator's own folder (remote_dir, or state_dir locally). */
  static final String MODELS_DIR = "ollama-models";

  private final OllamaPull pull;
  private final List<String> models;
  private final String modelsDir;
  private final boolean slurm;

  /** The kind as it plans jobs; each pull may take {@link OllamaPull#DEFAULT_DEADLINE}. */
  public OllamaKind() {
    this(OllamaPull.DEFAULT_DEADLINE, OllamaPull.DEFAULT_SILENCE);
  }

  /** A kind whose pulls end after {@code deadline} per model, or {@code silence} without a line. */
  OllamaKind(Duration deadline, Duration silence) {
    this(new OllamaPull(deadline, silence), List.of(), "", false);
  }

  private OllamaKind(OllamaPull pull, List<String> models, String modelsDir, boolean slurm) {
    this.pull = pull;
    this.models = List.copyOf(models);
    this.modelsDir = modelsDir;
    this.slurm = slurm;
  }

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
    // A folder that outlives the job, so a model is pulled once and not in every job; the
    // recipe's own folder wins.
    env.putIfAbsent(MODELS_VARIABLE, context.dataDir() + "/" + MODELS_DIR);
    return new JobSpec(serviceId, argv, env, requestedPort(spec), spec.resources(), spec.container(), Map.of());
  }

  @Override
  public ServiceKind forStart(ServiceSpec spec, JobSpec job, String backend) {
    return spec.models().isEmpty() ? this
        : new OllamaKind(pull, spec.models(), job.environment().getOrDefault(MODELS_VARIABLE, ""),
            backend.equals("slurm"));
  }

  /** Pulls every model of the recipe, in order; the first that cannot be pulled fails the start. */
  @Override
  public boolean ready(String serviceId, InetSocketAddress address, Consumer<String> progress) {
    for (int i = 0; i < models.size(); i++) {
      String model = models.get(i);
      progress.accept(serviceId + ": pulling model " + model + " (" + (i + 1) + " of " + models.size()
          + ") into " + modelsDir);
      Optional<String> failure = pull.pull(address, model, serviceId, progress);
      if (failure.isPresent()) {
        throw new NotServingException("model '" + model + "' could not be pulled into " + serviceId + ": "
            + failure.get() + "; " + serviceId + " was stopped" + (slurm ? offlineHint(model) : ""));
      }
    }
    return true;
  }

  /** Compute nodes often have no internet: how to fill the shared models folder beforehand. */
  private String offlineHint(String model) {
    return " (compute nodes may have no internet: pull it where there is, e.g. 'ollama pull " + model
        + "' on the login node or your machine, copy that models folder (~/.ollama/models) into " + modelsDir
        + " on the cluster, or point " + MODELS_VARIABLE + " in the recipe's environment at a shared folder"
        + " that has it)";
  }
}
