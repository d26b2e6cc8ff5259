package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLURM job script's container path, run with bash as sbatch would run it, with
 * testbed/apptainer-stand-in.sh as {@code apptainer} on a PATH that slurm.setup sets. The stand-in
 * is for argv and flow only (no Apptainer package exists here): it records its argv and runs the
 * command natively.
 */
class ContainerJobRunTest {
  private static final Path STAND_IN = Path.of("testbed/apptainer-stand-in.sh").toAbsolutePath();
  private static final ResourceSpec ONE_GPU = new ResourceSpec(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.of("gpu:1"));

  @TempDir Path dir;
  private Path bin;
  private Path image;

  @BeforeEach
  void standIn() throws Exception {
    bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(STAND_IN, bin.resolve("apptainer"));
    image = Files.writeString(dir.resolve("worker.sif"), "an image\n");
  }

  private record Outcome(int exitCode, String output, Path serviceDir) {}

  private Outcome run(List<String> setup, String imagePath) throws Exception {
    return run(setup, imagePath, Map.of("GREETING", "hello from {service_dir}"));
  }

  private Outcome run(List<String> setup, String imagePath, Map<String, String> env) throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("services").resolve("worker_0123abcd"));
    ContainerSpec container = new ContainerSpec(Optional.empty(), Optional.of(imagePath),
        List.of("--cleanenv", "--bind={scratch_dir}:/scratch"));
    JobSpec spec = new JobSpec("worker_0123abcd", List.of("bash", "-c", "printf '%s' \"$GREETING\" > seen"),
        env, 0, ONE_GPU, Optional.of(container), Map.of());
    SlurmDefaults defaults = new SlurmDefaults(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), setup);
    int exit = JobScriptRun.run(serviceDir, new SlurmJobScript(defaults, dir.toString(), dir.toString()).render(spec,
        serviceDir.toString()),
        Files.createDirectories(dir.resolve("tmp")));
    return new Outcome(exit, Files.readString(serviceDir.resolve("job.out")), serviceDir);
  }

  @Test
  void gpuJobRunsApptainerExecWithNvAndTheOptionsAsWords() throws Exception {
    Outcome o = run(List.of("export PATH=" + bin + ":$PATH"), image.toString());

    assertThat(o.exitCode()).as(o.output()).isZero();
    assertThat(Files.readString(o.serviceDir().resolve("seen"))).isEqualTo("hello from " + o.serviceDir());
    List<String> call = List.of(Files.readString(bin.resolve("calls.log")).strip().split("\t"));
    assertThat(call.subList(1, 5)).containsExactly("apptainer", "exec", "--nv", "--cleanenv");
    assertThat(call.get(5)).matches("--bind=" + dir.resolve("tmp") + "/hpc-orchestrator-worker_0123abcd\\.[^/]+:/scratch");
    assertThat(call.subList(6, call.size())).containsExactly("--bind", o.serviceDir().toString(),
        "--bind", scratch(call.get(5)), image.toString(), "bash", "-c", "printf '%s' \"$GREETING\" > seen");
  }

  private static String scratch(String bindOption) {
    return bindOption.substring("--bind=".length(), bindOption.length() - ":/scratch".length());
  }

  /**
   * A value with a comma or a quote reaches the service whole: Apptainer parses --env as CSV
   * (apptainer/apptainer#1152, which the stand-in follows), so values travel as APPTAINERENV_.
   */
  @Test
  void environmentValuesWithCommasAndQuotesReachTheContainerWhole() throws Exception {
    Path models = dir.resolve("shared/ollama-models");
    Outcome o = run(List.of("export PATH=" + bin + ":$PATH"), image.toString(),
        Map.of("GREETING", "a,b=c \"quoted\" 'single' in {service_dir}", "OLLAMA_MODELS", models.toString()));

    assertThat(o.exitCode()).as(o.output()).isZero();
    assertThat(Files.readString(o.serviceDir().resolve("seen")))
        .isEqualTo("a,b=c \"quoted\" 'single' in " + o.serviceDir());
    List<String> call = List.of(Files.readString(bin.resolve("calls.log")).strip().split("\t"));
    assertThat(call).doesNotContain("--env");
    // The models folder lives outside the service folder: created and bound.
    assertThat(models).isDirectory();
    assertThat(call).containsSubsequence("--bind", o.serviceDir().toString(), "--bind", scratch(call.get(5)),
        "--bind", models.toString(), image.toString());
  }

  @Test
  void aMissingImageFailsTheJobAtOnceWithTheReason() throws Exception {
    Outcome o = run(List.of("export PATH=" + bin + ":$PATH"), dir.resolve("nothing.sif").toString());

    assertThat(o.exitCode()).isEqualTo(96);
    assertThat(o.output()).contains("orchestrator: container image " + dir.resolve("nothing.sif") + " is missing on");
    assertThat(bin.resolve("calls.log")).doesNotExist();
  }

  @Test
  void withoutTheSetupLineThereIsNoApptainerAndTheJobSaysSo() throws Exception {
    Outcome o = run(List.of(), image.toString());

    assertThat(o.exitCode()).isEqualTo(96);
    assertThat(o.output()).contains("orchestrator: apptainer is not on the PATH of");
  }
}
