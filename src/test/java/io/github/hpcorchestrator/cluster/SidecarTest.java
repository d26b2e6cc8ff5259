package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.transport.LocalShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sidecars start with their service, get their own port recorded, and end with it. */
class SidecarTest {
  @TempDir Path dir;

  private static JobSpec withSidecar(String id) {
    Sidecar sidecar = new Sidecar("probe", List.of("bash", "-c", "echo \"$1 $2\" > sidecar_seen; exec sleep 60", "_",
        JobSpec.SIDECAR_PORT_TOKEN, JobSpec.PORT_TOKEN), Map.of("WHERE", "{service_dir}"), true);
    // A port is asked for (taken: another is picked), so the sidecar sees the service's port too.
    return new JobSpec(id, List.of("sleep", "60"), Map.of(), 49152, ResourceSpec.none(), Optional.empty(), Map.of())
        .withSidecar(sidecar);
  }

  @Test
  void localSidecarGetsItsOwnPortRecordedAndStopsWithTheService() throws Exception {
    LocalScheduler scheduler = new LocalScheduler(dir.resolve("services"), new LocalShell(), Duration.ofSeconds(5));
    SubmittedJob job = scheduler.submit(withSidecar("svc_0000abcd"));
    Path seen = Path.of(job.serviceDir(), "sidecar_seen");
    try {
      Await.until("the sidecar's first look and the connection file", Duration.ofSeconds(20),
          () -> Files.exists(seen) && scheduler.connection(job).isPresent());
      Connection c = scheduler.connection(job).orElseThrow();
      assertThat(c.sidecarPorts()).containsKey("probe");
      Await.until("a second line in " + seen, Duration.ofSeconds(20), () -> read(seen).strip().contains(" "));
      assertThat(read(seen).strip()).isEqualTo(c.sidecarPorts().get("probe") + " " + c.port());
      assertThat(c.sidecarPorts().get("probe")).isNotEqualTo(c.port());
    } finally {
      scheduler.cancel(job);
    }
    assertThat(scheduler.poll(List.of(job)).get(job.serviceId()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(new ProcessTable().groupAlive(Long.parseLong(job.jobId()))).isFalse();
  }

  @Test
  void slurmScriptStartsSidecarsWithQuotedWordsAndRecordsTheirPorts() throws Exception {
    String script = new SlurmJobScript(SlurmDefaults.none(), "/o", "/home/u").render(withSidecar("svc_0000abcd"),
        "/o/services/svc_0000abcd");
    assertThat(script).contains("free_port 0; SIDECAR_PORT=$REPLY")
        .contains("sidecar=(env 'WHERE={service_dir}' bash -c 'echo \"$1 $2\" > sidecar_seen; exec sleep 60' _ "
            + "'{sidecar_port}' '{port}')")
        .contains("sidecar_lines+=\"sidecar.probe.port=$SIDECAR_PORT\"$'\\n'");
    Path file = dir.resolve("job.sh");
    Files.writeString(file, script);
    Process syntax = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    assertThat(syntax.waitFor()).as(new String(syntax.getInputStream().readAllBytes())).isZero();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
