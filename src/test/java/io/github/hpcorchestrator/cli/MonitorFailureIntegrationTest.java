package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus on the local backend that is asked nonsense, then killed behind the tool's
 * back: each failure is exit 1 and one line on stderr, never a stack trace.
 */
@Tag("integration")
class MonitorFailureIntegrationTest {
  @TempDir Path dir;
  private Path config;
  private String jobId;

  private CliResult run(String... args) {
    return LocalCli.call(config, args);
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (config != null) {
      run("--stop-all-services");
    }
    if (jobId != null) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + jobId).start().waitFor();
    }
  }

  private static void assertOneLineRuntimeError(CliResult r, String contains) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
    assertThat(r.err()).startsWith("error: ").contains(contains).doesNotContain("Exception")
        .doesNotContain("at io.github");
  }

  @Test
  void promqlErrorThenKilledPrometheusAreOneLineRuntimeErrors() throws Exception {
    config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + dir.resolve("state") + "\nrecipes_dir: " + dir + "\n");
    Path recipe = Files.writeString(dir.resolve("prometheus.yaml"),
        "service:\n  name: prometheus\n  scrape_interval: 1s\n");
    CliResult started = run("--recipe", recipe.toString(), "--output", "json");
    assertThat(started.code()).as(started.err()).isZero();
    JsonNode service = new ObjectMapper().readTree(started.out()).at("/services/0");
    String id = service.path("service_id").asText();
    jobId = service.path("job_id").asText();

    for (String bad : List.of("up{", "sum(", "rate(up[5x])", "up; touch /tmp/x")) {
      assertOneLineRuntimeError(run("--query-service-metrics", id, bad), "PromQL error");
    }
    assertThat(run("--query-service-metrics", id, "up").code()).isZero();

    // SIGKILL to Prometheus itself, not to its job: the job records exit code 137.
    long pid = prometheusPid(jobId);
    new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();

    CliResult after = Await.until("queries to fail after the kill", Duration.ofSeconds(20),
        () -> run("--query-service-metrics", id, "up"), r -> r.code() != 0);
    assertOneLineRuntimeError(after, id);
    assertOneLineRuntimeError(run("--monitor-endpoint", id), id);
    CliResult status = run("--status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.err()).doesNotContain("Exception");
  }

  /** The prometheus process in process group {@code pgid}. */
  private static long prometheusPid(String pgid) {
    return ProcessGroups.member(pgid, "prometheus")
        .orElseThrow(() -> new AssertionError("no prometheus process in group " + pgid)).pid();
  }
}
