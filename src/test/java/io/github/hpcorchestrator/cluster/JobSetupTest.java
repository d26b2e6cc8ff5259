package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup lines (slurm.setup, a recipe's setup) in the job scripts of both backends. */
class JobSetupTest {
  private static final List<String> CONFIG_SETUP = List.of("module load Apptainer", "export PATH=/opt/x/bin:$PATH");
  private static final List<String> RECIPE_SETUP = List.of("source \"$HOME/venv/bin/activate\"");

  @TempDir Path dir;

  private static JobSpec job(List<String> argv, List<String> setup) {
    return new JobSpec("web_0123abcd", argv, Map.of("K", "v"), 8000, ResourceSpec.none(), Optional.empty(), Map.of())
        .withSetup(setup);
  }

  @Test
  void slurmScriptRunsConfigThenRecipeLinesAsWrittenBeforeAnythingElse() {
    SlurmDefaults defaults = new SlurmDefaults(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), CONFIG_SETUP);
    SlurmScheduler slurm = new SlurmScheduler(new FakeShell(), "/o", defaults, Clock.systemUTC());
    String script = slurm.renderScript(job(List.of("python3", "$(id)"), RECIPE_SETUP));
    List<String> lines = script.lines().toList();

    // Unquoted, one script line each, config first.
    int first = lines.indexOf("module load Apptainer");
    assertThat(first).isPositive();
    assertThat(lines.subList(first, first + 3)).containsExactly("module load Apptainer",
        "export PATH=/opt/x/bin:$PATH", "source \"$HOME/venv/bin/activate\"");
    // After every #SBATCH line (sbatch stops reading them at the first command), before the body.
    int lastDirective = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("#SBATCH")) {
        lastDirective = i;
      }
    }
    assertThat(first).isGreaterThan(lastDirective);
    assertThat(first).isLessThan(lines.indexOf("SERVICE_DIR=/o/services/web_0123abcd"));
    assertThat(lines.get(first - 1)).isEqualTo("set +u");
    // The recipe's words stay quoted: only setup lines are raw shell.
    assertThat(script).contains("argv=(python3 '$(id)')");
  }

  @Test
  void slurmScriptWithoutSetupSaysSo() {
    SlurmScheduler slurm = new SlurmScheduler(new FakeShell(), "/o", SlurmDefaults.none(), Clock.systemUTC());
    String script = slurm.renderScript(job(List.of("x"), List.of()));
    assertThat(script).contains("# No setup lines").doesNotContain("set +u");
  }

  @Test
  void aSetupLineWithALineBreakIsRefused() {
    SlurmScheduler slurm = new SlurmScheduler(new FakeShell(), "/o", SlurmDefaults.none(), Clock.systemUTC());
    assertThatThrownBy(() -> slurm.renderScript(job(List.of("x"), List.of("a\nb"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\\nb");
  }

  @Test
  void localScriptRunsTheRecipeLinesAfterRecordingItsPidAndBeforeTheEnvironment() {
    LocalScheduler local = new LocalScheduler(dir.resolve("services"), new LocalShell(), Duration.ofSeconds(5));
    List<String> lines = local.renderScript(job(List.of("x"), RECIPE_SETUP)).lines().toList();
    int setup = lines.indexOf("source \"$HOME/venv/bin/activate\"");
    assertThat(setup).isGreaterThan(lines.indexOf("echo \"$$\" > job.pid"));
    assertThat(setup).isLessThan(lines.indexOf("export K=v"));
  }

  /** A real local job: the setup lines run first, in the job's shell, and may even change its folder. */
  @Test
  void localJobSeesWhatItsSetupLinesDid() throws IOException, InterruptedException {
    LocalShell shell = new LocalShell();
    LocalScheduler local = new LocalScheduler(dir.resolve("services"), shell, Duration.ofSeconds(5));
    JobSpec spec = job(List.of("sh", "-c", "printf '%s' \"$HPCO_SETUP_MARK\" > mark.tmp && mv mark.tmp mark"),
        List.of("export HPCO_SETUP_MARK=\"set by $(echo setup)\"", "cd /"));
    SubmittedJob submitted = local.submit(spec);
    try {
      Path mark = Path.of(submitted.serviceDir()).resolve("mark");
      Await.until(mark.toString(), Duration.ofSeconds(20), () -> Files.exists(mark));
      assertThat(mark).as("file the command wrote in its service folder").exists();
      assertThat(Files.readString(mark)).isEqualTo("set by setup");
    } finally {
      local.cancel(submitted);
      shell.close();
    }
  }

  /** {@code set -euo pipefail} in a setup line (common in users' scripts) must not end the job early. */
  @Test
  void localJobWithSetEuoPipefailInItsSetupStillRecordsItsExitCode() throws IOException, InterruptedException {
    LocalShell shell = new LocalShell();
    LocalScheduler local = new LocalScheduler(dir.resolve("services"), shell, Duration.ofSeconds(5));
    SubmittedJob submitted = local.submit(job(List.of("sh", "-c", "echo ran > ran; exit 3"),
        List.of("set -euo pipefail")));
    try {
      Path exitCode = Path.of(submitted.serviceDir()).resolve("exit_code");
      Await.until(exitCode.toString(), Duration.ofSeconds(20), () -> Files.exists(exitCode));
      assertThat(Path.of(submitted.serviceDir()).resolve("ran")).as("the command ran").exists();
      assertThat(exitCode).as("exit code recorded").exists();
      assertThat(Files.readString(exitCode).strip()).isEqualTo("3");
    } finally {
      local.cancel(submitted);
      shell.close();
    }
  }

  /** The SLURM job script, run with bash as sbatch would: it fills in its files and records the exit code. */
  @Test
  void slurmJobWithSetEuoPipefailInItsSetupStillRecordsItsExitCode() throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("services").resolve("web_0123abcd"));
    // A file with a token: its read -d '' returns 1 at the end of the file.
    Path config = Files.writeString(serviceDir.resolve("web.conf"), "dir {service_dir}\n");
    JobSpec spec = new JobSpec("web_0123abcd", List.of("sh", "-c", "echo ran > ran; exit 3"), Map.of("K", "v"), 0,
        ResourceSpec.none(), Optional.empty(), Map.of("web.conf", "dir {service_dir}\n"))
        .withSetup(List.of("set -euo pipefail"));
    Path file = serviceDir.resolve("job.sh");
    Files.writeString(file, new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString()));
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true)
        .redirectOutput(serviceDir.resolve("job.out").toFile());
    pb.environment().put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("job script finished").isTrue();

    String out = Files.readString(serviceDir.resolve("job.out"));
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    assertThat(serviceDir.resolve("ran")).as(out).exists();
    assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).isEqualTo("3");
    assertThat(Files.readString(config)).isEqualTo("dir " + serviceDir + "\n");
  }
}
