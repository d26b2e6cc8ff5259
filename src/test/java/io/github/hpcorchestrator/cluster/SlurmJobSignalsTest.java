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
    Path serviceDir = Files.createDirectories(dir.resolve("services/signals_0000abcd"));
    // The service's own process (bash, then grep in its place: a bash waiting for a child would
    // show its own mask) writes its mask of ignored signals.
    JobSpec spec = new JobSpec("signals_0000abcd",
        List.of("bash", "-c", "exec grep '^SigIgn:' /proc/self/status > sigign"),
        Map.of(), 0, ResourceSpec.none(), Optional.empty(), Map.of());
    String script = new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString());
    JobScriptRun.run(serviceDir, script, Files.createDirectories(dir.resolve("tmp")));

    assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).as(Files.readString(
        serviceDir.resolve("job.out"))).isEqualTo("0");
    long ignored = Long.parseLong(Files.readString(serviceDir.resolve("sigign")).substring("SigIgn:".length()).strip(),
        16);
    // Bit n-1 for signal n: SIGINT is 2, SIGQUIT 3.
    assertThat(ignored & 0b110).as("SIGINT and SIGQUIT bits of SigIgn %s", Long.toHexString(ignored)).isZero();
  }

  /** A command that is a shell function of the setup lines runs (exec would not find it), signals reset too. */
  @Test
  void aServiceThatIsAFunctionOfTheSetupLinesRuns() throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("services/function_0000abcd"));
    JobSpec spec = new JobSpec("function_0000abcd", List.of("serve", "it"), Map.of(), 0, ResourceSpec.none(),
        Optional.empty(), Map.of()).withSetup(List.of("serve() { grep '^SigIgn:' /proc/self/status > \"sigign-$1\"; }"));
    String script = new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString());
    JobScriptRun.run(serviceDir, script, Files.createDirectories(dir.resolve("tmp")));

    assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).as(Files.readString(
        serviceDir.resolve("job.out"))).isEqualTo("0");
    long ignored = Long.parseLong(Files.readString(serviceDir.resolve("sigign-it")).substring("SigIgn:".length()).strip(),
        16);
    assertThat(ignored & 0b110).as("SIGINT and SIGQUIT bits of SigIgn %s", Long.toHexString(ignored)).isZero();
  }
}
