package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus on the local backend that dies behind the tool's back after it was scraping,
 * and a metrics folder that runs out of space: each ends in a defined outcome, never a stack trace
 * or a half-written file.
 */
@Tag("integration")
class LocalMonitorFaultsIntegrationTest {
  @TempDir Path dir;
  private LocalCli cli;
  private String jobId;
  private Path mounted;

  @BeforeEach
  void setUp() throws IOException {
    cli = new LocalCli(dir);
  }

  @AfterEach
  void cleanUp() throws Exception {
    cli.cleanUp(jobId == null ? List.of() : List.of(jobId));
    if (mounted != null) {
      new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a Prometheus scraping itself every second; returns its ID once it has some samples. */
  private String startPrometheus() throws IOException {
    Path recipe = Files.writeString(dir.resolve("prometheus.yaml"),
        "service:\n  name: prometheus\n  scrape_interval: 1s\n");
    JsonNode started = cli.json("--recipe", recipe.toString());
    JsonNode service = started.at("/services/0");
    jobId = service.path("job_id").asText();
    String id = service.path("service_id").asText();
    Await.value("five scrapes", Duration.ofSeconds(60), () -> {
      JsonNode r = cli.json("--query-service-metrics", id, "count_over_time(up{job=\"prometheus\"}[5m])");
      JsonNode value = r.at("/data/result/0/value/1");
      return !value.isMissingNode() && Double.parseDouble(value.asText()) >= 5 ? Optional.of(true) : Optional.empty();
    });
    return id;
  }

  @Test
  void prometheusKilledAfterAReportIsFailedAndReportsFromWhatWasSaved() throws Exception {
    String id = startPrometheus();
    JsonNode report = cli.json("--report", id);
    assertThat(report.path("files").size()).isEqualTo(2);
    Path saved = dir.resolve("metrics").resolve(id).resolve("session-metrics.json.gz");
    assertThat(saved).as("--report saves the window when nothing was saved before").isNotEmptyFile();

    // SIGKILL to the whole process group: the job script cannot record an exit code.
    Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + jobId).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Await.value("process group " + jobId + " gone", Duration.ofSeconds(20), () -> {
      return ProcessGroups.alive(jobId) ? Optional.empty() : Optional.of(true);
    });

    JsonNode row = statusRow(id);
    assertThat(row.path("state").asText()).isEqualTo("FAILED");
    assertThat(row.path("reason").asText()).isEqualTo("process group vanished without an exit code (killed?)");
    assertThat(row.path("endpoint").isNull()).isTrue();

    Path base = dir.resolve("after-kill/report");
    CliResult after = cli.run("--report", id, base.toString());
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(Path.of(base + ".json")).isNotEmptyFile();
    assertThat(Path.of(base + ".html")).isNotEmptyFile();
    assertThat(Files.readString(Path.of(base + ".json"))).contains(id);

    CliResult stop = cli.run("--stop-monitor", id);
    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).isEqualTo("Service " + id + " had already ended (FAILED)\n");
    // Nothing can be saved from a dead Prometheus: it is not asked, and the report comes from the file.
    assertThat(stop.err()).doesNotContain("saved the session's metrics").contains("wrote the report");
    assertThat(stop.err()).doesNotContain("Exception");
  }

  @Test
  void fullMetricsFolderIsOneLineAndLeavesNoPartialFile() throws Exception {
    mounted = Files.createDirectories(dir.resolve("metrics"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mounted.toString())
        .redirectErrorStream(true).start();
    boolean ok = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    if (!ok) {
      mounted = null;
    }
    assumeTrue(ok, "cannot mount a tmpfs here (needs root)");
    Path previous = Files.writeString(mounted.resolve("all.json"), "previous content\n");
    String id = startPrometheus();

    CliResult r = cli.run("--collect-metrics", id, "{__name__=~\".+\"}", "all.json", "--start", "-5m");

    assertThat(r.code()).as("exit code; stdout %s; stderr %s", r.out(), r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
    assertThat(r.err()).startsWith("error: cannot write " + previous).contains("No space left on device")
        .doesNotContain("\tat ");
    assertThat(Files.readString(previous)).as("the old file is intact").isEqualTo("previous content\n");
    try (Stream<Path> files = Files.list(mounted)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).as("files left in the metrics folder")
          .containsExactly("all.json");
    }
  }

  private JsonNode statusRow(String id) {
    for (JsonNode s : cli.json("--status").path("services")) {
      if (s.path("service_id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no status row for " + id);
  }
}
