package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLURM job script's node-local scratch folder, run with bash as sbatch would run it: job IDs
 * repeat (another cluster, a reset controller), so a job must never find an earlier job's data.
 */
class SlurmJobScratchTest {
  @TempDir Path dir;

  @Test
  void twoJobsWithTheSameJobIdGetFreshScratchFoldersThatGoWhenTheyEnd() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("node-tmp"));
    Path first = run("svc_0000aaaa", tmp);
    Path second = run("svc_0000aaaa", tmp);

    for (Path serviceDir : List.of(first, second)) {
      assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).isEqualTo("0");
      // The service found its scratch folder empty: nothing of the other job's data.
      assertThat(Files.readString(serviceDir.resolve("contents"))).isEmpty();
      Path scratch = Path.of(Files.readString(serviceDir.resolve("scratch")).strip());
      assertThat(scratch.getParent()).isEqualTo(tmp);
      assertThat(scratch.getFileName().toString()).startsWith("hpc-orchestrator-svc_0000aaaa.");
    }
    assertThat(Files.readString(first.resolve("scratch"))).isNotEqualTo(Files.readString(second.resolve("scratch")));
    try (var left = Files.list(tmp)) {
      assertThat(left.toList()).as("scratch folders left on the node").isEmpty();
    }
  }

  /** Runs the job script of a service that records its scratch folder, writes data there and exits. */
  private Path run(String serviceId, Path tmp) throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("runs").resolve(Long.toString(System.nanoTime()))
        .resolve(serviceId));
    JobSpec spec = new JobSpec(serviceId, List.of("bash", "-c",
        "echo \"$1\" > scratch; ls -A \"$1\" > contents; head -c 1000 /dev/zero > \"$1/data\"", "_",
        JobSpec.SCRATCH_TOKEN), Map.of(), 0, ResourceSpec.none(), Optional.empty(), Map.of());
    String script = new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString());
    JobScriptRun.run(serviceDir, script, tmp);
    return serviceDir;
  }
}
