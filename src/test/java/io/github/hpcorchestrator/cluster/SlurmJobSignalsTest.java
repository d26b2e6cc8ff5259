package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLURM job script, run with bash as sbatch would run it, starts the service with SIGINT and
 * SIGQUIT at their defaults: the script runs it in the background, which a shell without job
 * control does with both ignored, and a service could then not be interrupted (nor trap them).
 */
class SlurmJobSignalsTest {
  @TempDir Path dir;

  @Test
  void theServiceStartsWithSigintAndSigquitNotIgnored() throws Exception {
    // The service's own process (bash, then grep in its place: a bash waiting for a child would
    // show its own mask) writes its mask of ignored signals.
    JobSpec spec = new JobSpec("signals_0000abcd",
        List.of("bash", "-c", "exec grep '^SigIgn:' /proc/self/status > sigign"),
        Map.of(), 0, ResourceSpec.none(), Optional.empty(), Map.of());

    assertIntAndQuitNotIgnored(ignoredAfterRunning(spec, "sigign"));
  }

  /** A command that is a shell function of the setup lines runs (exec would not find it), signals reset too. */
  @Test
  void aServiceThatIsAFunctionOfTheSetupLinesRuns() throws Exception {
    JobSpec spec = new JobSpec("function_0000abcd", List.of("serve", "it"), Map.of(), 0, ResourceSpec.none(),
        Optional.empty(), Map.of()).withSetup(List.of("serve() { grep '^SigIgn:' /proc/self/status > \"sigign-$1\"; }"));

    assertIntAndQuitNotIgnored(ignoredAfterRunning(spec, "sigign-it"));
  }

  /** Runs the job script of {@code spec} to its end (exit code 0) and reads the mask its service wrote to {@code file}. */
  private long ignoredAfterRunning(JobSpec spec, String file) throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("services").resolve(spec.serviceId()));
    String script = new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString());
    JobScriptRun.run(serviceDir, script, Files.createDirectories(dir.resolve("tmp")));

    assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).as(Files.readString(
        serviceDir.resolve("job.out"))).isEqualTo("0");
    return Long.parseLong(Files.readString(serviceDir.resolve(file)).substring("SigIgn:".length()).strip(), 16);
  }

  /** Bit n-1 of a mask for signal n: SIGINT is 2, SIGQUIT 3. */
  private static void assertIntAndQuitNotIgnored(long ignored) {
    assertThat(ignored & 0b110).as("SIGINT and SIGQUIT bits of SigIgn %s", Long.toHexString(ignored)).isZero();
  }
}
