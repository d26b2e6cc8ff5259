package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a rendered SLURM job script with bash as a compute node would (job ID 7, {@code TMPDIR} as
 * given), without SLURM: for tests of what the script itself does.
 */
final class JobScriptRun {
  private JobScriptRun() {}

  /**
   * Writes {@code script} to {@code serviceDir/job.sh}, runs it with its output in
   * {@code serviceDir/job.out}, and returns its exit status; fails the test if it runs over 60 s.
   */
  static int run(Path serviceDir, String script, Path tmp) throws IOException, InterruptedException {
    Path file = Files.writeString(serviceDir.resolve("job.sh"), script);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true)
        .redirectOutput(serviceDir.resolve("job.out").toFile());
    pb.environment().put("SLURM_JOB_ID", "7");
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(finished).as("job script finished").isTrue();
    return p.exitValue();
  }
}
