package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.transport.ShellQuoting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * How a job runs its command in a container, for both job templates: {@code <runtime> exec},
 * {@code --nv} when the job asks for GPUs (so the container sees the GPUs it was given), the
 * recipe's options as argv words, the service folder, the job's scratch folder and a models folder
 * bound, the job's environment passed on as {@code APPTAINERENV_} and {@code SINGULARITYENV_}
 * variables (they survive {@code --cleanenv}; {@code --env} would parse values as CSV, so a comma
 * or a quote in one would break the start), then the image and the command.
 */
final class ContainerCommand {
  /**
   * Variables of a job's environment that name a folder the service keeps outside the service
   * folder (Ollama's models): the container sees it only when it is bound.
   */
  static final List<String> FOLDER_VARIABLES = List.of("OLLAMA_MODELS");
  /** The prefixes under which both runtimes pass a variable into the container. */
  private static final List<String> ENV_PREFIXES = List.of("APPTAINERENV_", "SINGULARITYENV_");

  private ContainerCommand() {}

  /** The words before the options: the runtime, {@code exec}, and {@code --nv} for a GPU job. */
  private static List<String> head(JobSpec spec) {
    List<String> words = new ArrayList<>(List.of(spec.containerRuntime(), "exec"));
    if (spec.resources().requestsGpus()) {
      words.add("--nv");
    }
    return words;
  }

  /**
   * The full argv for a local job, {@code substitute} filling in the tokens of options and
   * environment values: {@code env} with the container's variables, then the runtime's command.
   */
  static List<String> words(JobSpec spec, String image, String serviceDir, List<String> argv,
      UnaryOperator<String> substitute) {
    ContainerSpec container = spec.container().orElseThrow();
    List<String> words = new ArrayList<>(List.of("env"));
    for (Map.Entry<String, String> e : spec.environment().entrySet()) {
      String value = substitute.apply(e.getValue());
      ENV_PREFIXES.forEach(prefix -> words.add(prefix + e.getKey() + "=" + value));
    }
    words.addAll(head(spec));
    container.options().forEach(option -> words.add(substitute.apply(option)));
    // The local job's scratch folder is the service folder's data/, bound with it.
    words.addAll(List.of("--bind", serviceDir));
    folders(spec).forEach(name -> words.addAll(List.of("--bind", substitute.apply(spec.environment().get(name)))));
    words.add(image);
    words.addAll(argv);
    return words;
  }

  /**
   * The local job's lines before the command: each bound folder of {@link #FOLDER_VARIABLES}
   * created (a runtime refuses to bind a missing one); empty when there is none.
   */
  static String localPreparation(JobSpec spec, UnaryOperator<String> substitute) {
    StringBuilder s = new StringBuilder();
    for (String name : folders(spec)) {
      s.append("mkdir -p -- ").append(ShellQuoting.quote(substitute.apply(spec.environment().get(name))))
          .append(" || exit 97\n");
    }
    return s.toString();
  }

  private static List<String> folders(JobSpec spec) {
    return FOLDER_VARIABLES.stream().filter(spec.environment()::containsKey).toList();
  }

  /**
   * The lines of slurm-job.sh's command section: check that the runtime and the image are there
   * (both fail the job at once with the reason), then build {@code cmd} from the script's
   * {@code argv} and {@code env_names}.
   */
  static String bash(JobSpec spec, String image) {
    ContainerSpec container = spec.container().orElseThrow();
    String runtime = ShellQuoting.quote(spec.containerRuntime());
    StringBuilder s = new StringBuilder();
    s.append("# Container: the image was built on the login node before sbatch (nodes may have no\n");
    s.append("# internet); here it only has to be there.\n");
    s.append("IMAGE=").append(ShellQuoting.quote(image)).append('\n');
    s.append("if ! command -v ").append(runtime).append(" >/dev/null 2>&1; then\n");
    s.append("  echo \"orchestrator: ").append(spec.containerRuntime())
        .append(" is not on the PATH of $(hostname) after the setup lines (slurm.setup, setup)\" >&2\n");
    s.append("  finish 96\n");
    s.append("fi\n");
    s.append("if [ ! -e \"$IMAGE\" ]; then\n");
    s.append("  echo \"orchestrator: container image $IMAGE is missing on $(hostname); it is built on the login")
        .append(" node before sbatch: is its folder shared with the nodes?\" >&2\n");
    s.append("  finish 96\n");
    s.append("fi\n");
    s.append("cmd=(").append(head(spec).stream().map(ShellQuoting::quote).collect(Collectors.joining(" ")))
        .append(")\n");
    if (!container.options().isEmpty()) {
      s.append("container_options=(").append(container.options().stream().map(ShellQuoting::quote)
          .collect(Collectors.joining(" "))).append(")\n");
      s.append("for option in \"${container_options[@]}\"; do substitute \"$option\"; cmd+=(\"$REPLY\"); done\n");
    }
    s.append("cmd+=(--bind \"$SERVICE_DIR\" --bind \"$SCRATCH_DIR\")\n");
    for (String name : folders(spec)) {
      s.append("mkdir -p -- \"$").append(name).append("\" || finish 97\n");
      s.append("cmd+=(--bind \"$").append(name).append("\")\n");
    }
    s.append("for name in \"${env_names[@]}\"; do\n");
    s.append("  export \"APPTAINERENV_$name=${!name}\" \"SINGULARITYENV_$name=${!name}\"\n");
    s.append("done\n");
    s.append("cmd+=(\"$IMAGE\" \"${argv[@]}\")");
    return s.toString();
  }
}
