package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.transport.LocalShell;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container part of both job scripts: --nv for GPU jobs, the recipe's options as quoted words. */
class ContainerCommandTest {
  private static final List<String> OPTIONS = List.of("--cleanenv", "--bind={service_dir}/data:/data", "$(id)");
  private static final ContainerSpec CONTAINER = new ContainerSpec(Optional.empty(), Optional.of("/img/o.sif"), OPTIONS);

  @TempDir Path dir;

  private static ResourceSpec gres(String gres) {
    return new ResourceSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(gres));
  }

  private static ResourceSpec gpus(Optional<String> gpus, Optional<String> perNode) {
    return new ResourceSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), gpus, perNode);
  }

  private static JobSpec job(ResourceSpec resources, String runtime) {
    return new JobSpec("ollama_0123abcd", List.of("ollama", "serve"), Map.of("OLLAMA_HOST", "0.0.0.0:{port}"), 11434,
        resources, Optional.of(CONTAINER), Map.of()).withContainer(Optional.of(CONTAINER), runtime);
  }

  private static String slurm(JobSpec job) {
    return new SlurmScheduler(new FakeShell(), "/o", SlurmDefaults.none(), Clock.systemUTC()).renderScript(job);
  }

  @Test
  void gpuRequestsInAnyFormRunExecWithNv() {
    for (ResourceSpec r : List.of(gres("gpu:1"), gres("gpu:a100:2"), gres("nvme:1,gpu:1"),
        gpus(Optional.of("1"), Optional.empty()), gpus(Optional.empty(), Optional.of("a100:4")))) {
      assertThat(r.requestsGpus()).as(r.toString()).isTrue();
      assertThat(slurm(job(r, "apptainer"))).as(r.toString()).contains("cmd=(apptainer exec --nv)\n");
    }
    for (ResourceSpec r : List.of(ResourceSpec.none(), gres("nvme:1"), gres("gpuish:1"))) {
      assertThat(r.requestsGpus()).as(r.toString()).isFalse();
      assertThat(slurm(job(r, "apptainer"))).as(r.toString()).contains("cmd=(apptainer exec)\n")
          .doesNotContain("--nv");
    }
  }

  @Test
  void gpusBecomeDirectives() {
    String script = slurm(job(gpus(Optional.of("a100:2"), Optional.of("2")), "apptainer"));
    assertThat(script).contains("#SBATCH --gpus=a100:2\n#SBATCH --gpus-per-node=2\n");
  }

  @Test
  void optionsArePassedAsQuotedWordsBeforeTheImageWithTheirTokensFilledIn() {
    String script = slurm(job(gres("gpu:1"), "singularity"));
    assertThat(script).contains("if ! command -v singularity >/dev/null 2>&1; then");
    assertThat(script).contains("cmd=(singularity exec --nv)\n"
        + "container_options=(--cleanenv '--bind={service_dir}/data:/data' '$(id)')\n"
        + "for option in \"${container_options[@]}\"; do substitute \"$option\"; cmd+=(\"$REPLY\"); done\n"
        + "cmd+=(--bind \"$SERVICE_DIR\" --bind \"$SCRATCH_DIR\")\n");
    assertThat(script.indexOf("container_options=(")).isLessThan(script.indexOf("cmd+=(\"$IMAGE\" \"${argv[@]}\")"));
  }

  @Test
  void localJobRunsTheSameCommandLine() {
    LocalScheduler local = new LocalScheduler(dir.resolve("services"), new LocalShell(), Duration.ofSeconds(5));
    String serviceDir = dir.resolve("services").resolve("ollama_0123abcd").toString();
    String line = local.renderScript(job(gres("gpu:1"), "apptainer")).lines()
        .filter(l -> l.startsWith("cmd=(env ")).findFirst().orElseThrow();
    assertThat(line).isEqualTo("cmd=(env APPTAINERENV_OLLAMA_HOST=0.0.0.0:11434 SINGULARITYENV_OLLAMA_HOST=0.0.0.0:11434"
        + " apptainer exec --nv --cleanenv --bind=" + serviceDir + "/data:/data '$(id)' --bind " + serviceDir
        + " /img/o.sif ollama serve)");
  }

  /** Values go to the container as variables, never through --env, whose CSV parsing splits them at commas. */
  @Test
  void environmentTravelsAsApptainerAndSingularityVariablesAndTheModelsFolderIsBound() {
    JobSpec job = new JobSpec("ollama_0123abcd", List.of("ollama", "serve"),
        Map.of("NOTE", "a,b \"c\"", "OLLAMA_MODELS", "{service_dir}/../models"), 11434, ResourceSpec.none(),
        Optional.of(CONTAINER), Map.of()).withContainer(Optional.of(CONTAINER), "apptainer");
    String script = slurm(job);
    assertThat(script).doesNotContain("--env")
        .contains("cmd+=(--bind \"$SERVICE_DIR\" --bind \"$SCRATCH_DIR\")\n"
            + "mkdir -p -- \"$OLLAMA_MODELS\" || finish 97\n"
            + "cmd+=(--bind \"$OLLAMA_MODELS\")\n"
            + "for name in \"${env_names[@]}\"; do\n"
            + "  export \"APPTAINERENV_$name=${!name}\" \"SINGULARITYENV_$name=${!name}\"\n"
            + "done\n");

    LocalScheduler local = new LocalScheduler(dir.resolve("services"), new LocalShell(), Duration.ofSeconds(5));
    String serviceDir = dir.resolve("services").resolve("ollama_0123abcd").toString();
    String localScript = local.renderScript(job);
    assertThat(localScript).doesNotContain("--env")
        .contains("mkdir -p -- " + serviceDir + "/../models || exit 97\n")
        .contains("'APPTAINERENV_NOTE=a,b \"c\"' 'SINGULARITYENV_NOTE=a,b \"c\"'")
        .contains(" --bind " + serviceDir + " --bind " + serviceDir + "/../models /img/o.sif ollama serve)\n");
  }
}
