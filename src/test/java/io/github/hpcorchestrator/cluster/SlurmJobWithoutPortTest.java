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
 * The SLURM job script of a service that asks for no port, run with bash as sbatch would run it:
 * it publishes its connection at once, without a port, instead of waiting for one nobody opens.
 */
class SlurmJobWithoutPortTest {
  @TempDir Path dir;

  @Test
  void publishesAConnectionWithoutAPortWhileTheServiceRuns() throws Exception {
    Path serviceDir = Files.createDirectories(dir.resolve("services/worker_0000abcd"));
    // The service records whether the connection was there while it ran, then ends by itself.
    JobSpec spec = new JobSpec("worker_0000abcd", List.of("bash", "-c",
        "for i in $(seq 100); do [ -e connection ] && break; sleep 0.1; done; cp connection seen 2>/dev/null;"
            + " echo \"port word: [$1]\" > argv", "_", JobSpec.PORT_TOKEN),
        Map.of(), 0, ResourceSpec.none(), Optional.empty(), Map.of());
    String script = new SlurmJobScript(SlurmDefaults.none(), dir.toString(), dir.toString())
        .render(spec, serviceDir.toString());
    JobScriptRun.run(serviceDir, script, Files.createDirectories(dir.resolve("tmp")));

    assertThat(Files.readString(serviceDir.resolve("exit_code")).strip()).isEqualTo("0");
    assertThat(serviceDir.resolve("seen")).as("connection published while the service ran; job output: %s",
        Files.readString(serviceDir.resolve("job.out"))).exists();
    String connection = Files.readString(serviceDir.resolve("seen"));
    assertThat(connection).contains("\nport=\n").contains("requested_port=0\n").contains("job_id=7\n");
    assertThat(ConnectionFile.parse(connection)).hasValueSatisfying(c -> assertThat(c.port()).isZero());
    assertThat(Files.readString(serviceDir.resolve("argv"))).isEqualTo("port word: []\n");
    assertThat(Files.readString(serviceDir.resolve("job.out"))).doesNotContain("does not accept connections");
  }
}
