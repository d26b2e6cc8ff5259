package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped recipes' containers through the CLI on the SLURM backend with this machine as the
 * login node (dry runs and planning only: nothing reaches SLURM). slurm.setup decides whether a
 * runtime is there: a PATH with testbed/apptainer-stand-in.sh as {@code apptainer} (a stand-in for
 * argv and flow only; no Apptainer package exists here), or a PATH with nothing on it.
 */
class ContainerCliTest {
  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final String OLLAMA = REPO.resolve("recipes/services/ollama.yaml").toString();
  private static final String PROMETHEUS = REPO.resolve("recipes/services/prometheus.yaml").toString();

  @TempDir Path dir;
  private Path bin;

  @BeforeEach
  void standIn() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    Files.copy(REPO.resolve("testbed/apptainer-stand-in.sh"), bin.resolve("apptainer"));
  }

  private Path config(String setupLine) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), String.join("\n",
        "backend: slurm",
        "state_dir: " + dir.resolve("state"),
        "remote_dir: " + dir.resolve("remote"),
        "slurm:",
        "  setup:",
        "    - echo \"this line is the user's own shell\" >&2",
        "    - " + setupLine,
        ""));
  }

  private static CliResult run(Path config, String... args) {
    return LocalCli.call(config, args);
  }

  @Test
  void gpuRecipesDryRunShowsTheSetupLinesAndExecWithNv() throws IOException {
    CliResult r = run(config("export PATH=" + bin + ":$PATH"), "--recipe", OLLAMA, "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).contains("#SBATCH --gres=gpu:1", "echo \"this line is the user's own shell\" >&2",
        "export PATH=" + bin + ":$PATH", "cmd=(apptainer exec --nv)",
        "IMAGE=" + System.getProperty("user.home") + "/containers/ollama_latest.sif");
    assertThat(lines.indexOf("export PATH=" + bin + ":$PATH")).isLessThan(lines.indexOf("set -u"));
    assertThat(r.out()).doesNotContain("apptainer build");
  }

  @Test
  void withoutARuntimeADryRunSaysTheStartWouldFailAndTheStartDoesBeforeAnythingIsSubmitted() throws IOException {
    Path config = config("export PATH=/nonexistent");

    CliResult dry = run(config, "--recipe", OLLAMA, "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("cmd=(apptainer exec --nv)");
    assertThat(dry.err().lines().toList()).containsExactly("dry run: service 'ollama' runs in a container, but"
        + " neither apptainer nor singularity is on the login node after the setup lines: load it in every job"
        + " with slurm.setup in the config (or setup in the recipe), e.g. 'module load Apptainer'; images are built"
        + " on the login node, so without network on the nodes keep them there (container.image_path names a"
        + " prebuilt one)");

    CliResult start = run(config, "--recipe", OLLAMA);
    assertThat(start.code()).isEqualTo(1);
    assertThat(start.out()).isEmpty();
    assertThat(start.err().lines().toList()).singleElement().asString()
        .startsWith("error: service 'ollama' runs in a container, but neither apptainer nor singularity is on the"
            + " login node after the setup lines: load it");
    assertThat(dir.resolve("remote")).as("nothing written on the cluster side").doesNotExist();
  }

  @Test
  void prometheusWithItsContainerRunsNativelyWhenThereIsNoRuntimeAndSaysSoOnce() throws IOException {
    CliResult r = run(config("export PATH=/nonexistent"), "--recipe", PROMETHEUS, "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("# No container: the command runs natively on the node.")
        .doesNotContain("apptainer exec");
    assertThat(r.err().lines().toList()).containsExactly("prometheus: no apptainer or singularity on the login node"
        + " (after the setup lines): running prometheus natively, without its container");
  }

  @Test
  void prometheusRunsTheImagesOwnProgramWhenTheRuntimeIsThere() throws IOException {
    CliResult r = run(config("export PATH=" + bin + ":$PATH"), "--recipe", PROMETHEUS, "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("cmd=(apptainer exec)\n").contains("argv=(prometheus '--config.file=");
  }
}
