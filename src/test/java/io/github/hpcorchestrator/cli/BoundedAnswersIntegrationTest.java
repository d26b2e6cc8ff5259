package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4 through the CLI with real Prometheus servers on the local backend: a frozen one
 * (its process group stopped with SIGSTOP, so its port still accepts connections but nothing
 * answers) and answers over the configured cap. Each ends within its limit, in one line, and a
 * stop still stops.
 */
@Tag("integration")
class BoundedAnswersIntegrationTest {
  @TempDir Path dir;
  private LocalCli cli;
  private final List<String> groups = new ArrayList<>();

  private void configure(String limits) throws IOException {
    cli = new LocalCli(dir);
    Files.writeString(cli.config(), "limits:\n" + limits, StandardOpenOption.APPEND);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String group : groups) {
      signal("CONT", group);
    }
    if (cli != null) {
      cli.run("--stop-all-services");
    }
    for (String group : groups) {
      if (ProcessGroups.alive(group)) {
        signal("KILL", group);
      }
    }
  }

  private static void signal(String signal, String group) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + group).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Starts a Prometheus scraping itself every second; returns its ID once it has a few samples. */
  private String startPrometheus(String name) throws IOException {
    Path recipe = Files.writeString(dir.resolve(name + ".yaml"), "service:\n  name: prometheus\n  scrape_interval: 1s\n");
    JsonNode service = cli.json("--recipe", recipe.toString()).at("/services/0");
    groups.add(service.path("job_id").asText());
    String id = service.path("service_id").asText();
    Await.value("three scrapes of " + id, Duration.ofSeconds(60), () -> {
      JsonNode r = cli.json("--query-service-metrics", id, "count_over_time(up{job=\"prometheus\"}[5m])");
      JsonNode value = r.at("/data/result/0/value/1");
      return !value.isMissingNode() && Double.parseDouble(value.asText()) >= 3 ? Optional.of(true) : Optional.empty();
    });
    return id;
  }

  private void awaitGroupGone(String group) {
    Await.value("process group " + group + " gone", Duration.ofSeconds(30), () -> {
      return ProcessGroups.alive(group) ? Optional.empty() : Optional.of(true);
    });
  }

  @Test
  void statusWithFrozenMonitorsWaitsOneShortDeadlineInAll() throws Exception {
    configure("  status_timeout: 2s\n");
    List<String> ids = List.of(startPrometheus("p1"), startPrometheus("p2"), startPrometheus("p3"));
    for (String group : groups) {
      signal("STOP", group);
    }
    Instant start = Instant.now();

    CliResult status = cli.run("--status");

    Duration took = Duration.between(start, Instant.now());
    assertThat(status.code()).as(status.err()).isZero();
    // Asked one after another, three frozen monitors cost 3 x 30 s before, and 3 x 2 s even with the short deadline.
    assertThat(took).as("--status with three frozen monitors").isLessThan(Duration.ofMillis(5500));
    assertThat(status.err().lines().toList()).hasSize(3).allSatisfy(line -> assertThat(line)
        .startsWith("cannot read targets of prometheus_").endsWith("not reachable: no complete answer within 2s"));
    for (String id : ids) {
      assertThat(status.out()).contains(id);
      assertThat(status.err()).contains("cannot read targets of " + id + ": ");
    }
  }

  @Test
  void stopOfAFrozenMonitorSaysTheSaveFailedAndStillStops() throws Exception {
    configure("  request_timeout: 2s\n");
    String id = startPrometheus("frozen");
    signal("STOP", groups.get(0));
    Instant start = Instant.now();

    CliResult stop = cli.run("--stop-monitor", id);

    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).startsWith("Stopped " + id + " (");
    List<String> lines = stop.err().lines().toList();
    assertThat(lines).filteredOn(l -> l.startsWith("could not save the session's metrics: ")).singleElement()
        .asString().matches("could not save the session's metrics: Prometheus at http://[a-z0-9.]+:[0-9]+"
            + " not reachable: no complete answer within 2s");
    // The report is not asked of the frozen server again: one deadline, not two.
    assertThat(lines).contains("could not write the report: monitor " + id + " does not answer and nothing was saved"
        + " for it (" + dir.resolve("metrics").resolve(id).resolve("session-metrics.json.gz") + " does not exist)");
    assertThat(stop.err()).doesNotContain("Exception").doesNotContain("\tat ");
    awaitGroupGone(groups.get(0));
    // 2 s for the save, then SIGTERM's grace (10 s) before SIGKILL ends the stopped group.
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void answersOverTheCapFailInOneLineAndAStopStillStops() throws Exception {
    configure("  max_answer_bytes: 4KiB\n");
    String id = startPrometheus("capped");

    CliResult query = cli.run("--query-service-metrics", id, "{__name__=~\".+\"}");
    assertThat(query.code()).isEqualTo(1);
    assertThat(query.out()).isEmpty();
    assertThat(query.err()).matches("error: Prometheus at http://[a-z0-9.]+:[0-9]+: the answer to /api/v1/query"
        + " is larger than limits\\.max_answer_bytes \\(4096 bytes\\); narrow the query or raise the limit\n");

    CliResult stop = cli.run("--stop-monitor", id);

    assertThat(stop.code()).as(stop.err()).isZero();
    assertThat(stop.out()).startsWith("Stopped " + id + " (");
    assertThat(stop.err().lines().toList()).filteredOn(l -> l.startsWith("could not save the session's metrics: "))
        .singleElement().asString().contains(" is larger than limits.max_answer_bytes (4096 bytes); narrow the query"
            + " or raise the limit");
    assertThat(stop.err()).doesNotContain("Exception").doesNotContain("\tat ");
    awaitGroupGone(groups.get(0));
    try (var files = Files.list(dir.resolve("metrics").resolve(id))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList())
          .as("temp files left by the failed save").isEmpty();
    }
  }
}
