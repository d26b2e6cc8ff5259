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
 * recipe's options as argv words, the service folder bound, the job's environment passed on
 * explicitly (it survives {@code --cleanenv}), then the image and the command.
 */
final class ContainerCommand {
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
   * environment values.
   */
  static List<String> words(JobSpec spec, String image, String serviceDir, List<String> argv,
      UnaryOperator<String> substitute) {
    ContainerSpec container = spec.container().orElseThrow();
    List<String> words = head(spec);
    container.options().forEach(option -> words.add(substitute.apply(option)));
    words.addAll(List.of("--bind", serviceDir));
    for (Map.Entry<String, String> e : spec.environment().entrySet()) {
      words.addAll(List.of("--env", e.getKey() + "=" + substitute.apply(e.getValue())));
    }
    words.add(image);
    words.addAll(argv);
    return words;
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
    s.append("cmd+=(--bind \"$SERVICE_DIR\")\n");
    s.append("for name in \"${env_names[@]}\"; do\n");
    s.append("  cmd+=(--env \"$name=${!name}\")\n");
    s.append("done\n");
    s.append("cmd+=(\"$IMAGE\" \"${argv[@]}\")");
    return s.toString();
  }
}
