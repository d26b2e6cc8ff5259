package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on a real SLURM test cluster, the CLI running on the login node (no SSH) as its own
 * process: a job cancelled or killed behind the tool's back, a node that goes down, and a
 * controller that is stopped or restarted while the tool asks it.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmFaultsIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestCluster cluster;
  private Path work;
  private Shell slurmHere;

  @BeforeAll
  void up() throws Exception {
    // Its own cluster: it stops the controller, takes a node down or drops the login node's connections.
    cluster = TestCluster.up();
    work = cluster.workDir("hpco-slurm-faults");
    slurmHere = new LocalShell(cluster.slurmEnvironment());
  }

  @AfterAll
  void down() throws Exception {
    if (cluster == null) {
      return;
    }
    try {
      ensureControllerRuns();
      slurmHere.run(List.of("scancel", "--me"), Duration.ofSeconds(30));
    } finally {
      cluster.close();
    }
  }

  @AfterEach
  void cancelJobs() throws Exception {
    ensureControllerRuns();
    slurmHere.run(List.of("scancel", "--me"), Duration.ofSeconds(30));
  }

  /** A login-node config (no hpc section) that pins jobs to {@code node}. */
  private Path config(String node) throws IOException {
    return Files.writeString(work.resolve(node + ".yaml"), String.join("\n",
        "backend: slurm",
        "state_dir: " + work.resolve("state"),
        "recipes_dir: " + work,
        "remote_dir: " + work.resolve("remote"),
        "slurm:",
        "  extra_directives: [\"--nodelist=" + node + "\"]",
        ""));
  }

  private Path recipe(String name, String command, String... args) throws IOException {
    StringBuilder y = new StringBuilder("service:\n  name: " + name + "\n  command: " + command + "\n  args:\n");
    for (String a : args) {
      y.append("    - ").append(JSON.writeValueAsString(a)).append('\n');
    }
    return Files.writeString(work.resolve(name + ".yaml"), y.toString());
  }

  private CliResult cli(Path config, String... args) throws Exception {
    return cli(config, List.of(), args);
  }

  /** The CLI as a process on the login node, with the cluster's SLURM_CONF and PATH. */
  private CliResult cli(Path config, List<String> jvmOptions, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return CliProcess.java().withJvmOptions(jvmOptions).withEnvironment(cluster.slurmEnvironment())
        .run(work, Duration.ofSeconds(180), all);
  }

  /** Starts {@code recipe} without waiting; returns the service's status row once {@code state} shows. */
  private String startNoWait(Path config, Path recipe) throws Exception {
    CliResult r = cli(config, "--recipe", recipe.toString(), "--no-wait", "--output", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return r.json().at("/services/0/service_id").asText();
  }

  private JsonNode row(Path config, String id) throws Exception {
    CliResult r = cli(config, "--status", "--output", "json");
    assertThat(r.code()).as(r.err()).isZero();
    for (JsonNode s : r.json().path("services")) {
      if (s.path("service_id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no row for " + id + " in " + r.out());
  }

  private JsonNode awaitRow(Path config, String id, String what, Duration deadline,
      java.util.function.Predicate<JsonNode> until) {
    return Await.value(what + " of " + id, deadline, () -> {
      try {
        JsonNode row = row(config, id);
        return until.test(row) ? Optional.of(row) : Optional.empty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static void assertOneErrorLine(CliResult r, String... contains) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    List<String> errorLines = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertThat(errorLines).as("error lines in %s", r.err()).hasSize(1);
    assertThat(errorLines.get(0)).contains(contains);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @Order(1)
  void jobCancelledBehindOurBackIsCancelledAndHasNoEndpoint() throws Exception {
    Path config = config(cluster.nodes().get(0));
    String id = startNoWait(config, recipe("sleeper", "sleep", "300"));
    JsonNode running = awaitRow(config, id, "RUNNING", Duration.ofSeconds(60),
        r -> r.path("state").asText().equals("RUNNING"));

    CommandResult scancel = slurmHere.run(List.of("scancel", running.path("job_id").asText()), Duration.ofSeconds(30));
    assertThat(scancel.ok()).as(scancel.stderr()).isTrue();

    JsonNode after = awaitRow(config, id, "a state other than RUNNING", Duration.ofSeconds(30),
        r -> !r.path("state").asText().equals("RUNNING"));
    assertThat(after.path("state").asText()).isEqualTo("CANCELLED");
    assertThat(after.path("reason").asText()).isEqualTo("cancelled outside the orchestrator (scancel)");
    CliResult endpoint = cli(config, "--service-endpoint", id);
    // A later call, answered from state, still says why.
    assertOneErrorLine(endpoint, "service " + id + " has no endpoint: it is CANCELLED"
        + " (cancelled outside the orchestrator (scancel))");
  }

  @Test
  @Order(2)
  void serviceThatDiesIsFailedWithExitCodeAndLogTail() throws Exception {
    Path config = config(cluster.nodes().get(1));
    String id = startNoWait(config, recipe("dying", "bash", "-c", "echo boom; exit 7"));

    JsonNode row = awaitRow(config, id, "a final state", Duration.ofSeconds(60),
        r -> List.of("FAILED", "COMPLETED", "CANCELLED", "UNKNOWN").contains(r.path("state").asText()));
    assertThat(row.path("state").asText()).isEqualTo("FAILED");
    assertThat(row.path("exit_code").asInt()).isEqualTo(7);
    assertThat(row.path("reason").asText()).isEqualTo("exited with code 7");
    assertThat(row.path("log_tail").toString()).contains("boom");
    // A later call, from state, still says why.
    JsonNode later = row(config, id);
    assertThat(later.path("exit_code").asInt()).isEqualTo(7);
    assertThat(later.path("reason").asText()).isEqualTo("exited with code 7");
    assertThat(later.path("log_tail").toString()).contains("boom");
  }

  @Test
  @Order(3)
  void nodeThatGoesDownRequeuesItsJobWhichIsPendingNotRunning() throws Exception {
    String node = cluster.nodes().get(2);
    Path config = config(node);
    String id = startNoWait(config, recipe("on_doomed_node", "sleep", "300"));
    awaitRow(config, id, "RUNNING", Duration.ofSeconds(60), r -> r.path("state").asText().equals("RUNNING"));
    try {
      CommandResult down = slurmHere.run(List.of("scontrol", "update", "nodename=" + node, "state=down",
          "reason=test"), Duration.ofSeconds(30));
      assertThat(down.ok()).as(down.stderr()).isTrue();

      // SLURM (JobRequeue=1, the default) kills the job and requeues it: pinned to the down node, it
      // waits. The tool shows PENDING with a reason, never RUNNING on a dead node.
      JsonNode row = awaitRow(config, id, "a state other than RUNNING, with its reason", Duration.ofSeconds(60),
          r -> !r.path("state").asText().equals("RUNNING") && !r.path("reason").asText().isEmpty());
      assertThat(row.path("state").asText()).isEqualTo("PENDING");
      assertThat(row.path("reason").asText()).isNotEmpty();
      assertThat(row.path("endpoint").isNull()).isTrue();
      String job = slurmHere.run(List.of("scontrol", "show", "job", row.path("job_id").asText()),
          Duration.ofSeconds(30)).stdout();
      assertThat(job).contains("JobState=PENDING").contains("Restarts=1");
    } finally {
      slurmHere.run(List.of("scontrol", "update", "nodename=" + node, "state=resume"), Duration.ofSeconds(30));
    }
  }

  @Test
  @Order(4)
  void controllerThatStaysDownIsRetriedThenOneErrorLine() throws Exception {
    Path config = config(cluster.nodes().get(0));
    String id = startNoWait(config, recipe("before_outage", "sleep", "300"));
    awaitRow(config, id, "RUNNING", Duration.ofSeconds(60), r -> r.path("state").asText().equals("RUNNING"));
    stopController();

    long start = System.nanoTime();
    CliResult status = cli(config, List.of("-D" + SlurmScheduler.CONTROLLER_RETRY_PROPERTY + "=10"), "--status");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    assertOneErrorLine(status, "the SLURM controller cannot be reached (squeue tried ",
        "Unable to contact slurm controller");
    assertThat(status.err().lines().filter(l -> l.startsWith("squeue: the SLURM controller cannot be reached"))
        .count()).as("retry lines in %s", status.err()).isGreaterThanOrEqualTo(1);
    // 10 s of retries, plus the last squeue (a few seconds against a dead controller) and the JVM
    assertThat(seconds).as("bounded by the 10 s retry").isBetween(10L, 40L);
  }

  @Test
  @Order(5)
  void controllerRestartedDuringAStatusCallAnswersIt() throws Exception {
    ensureControllerRuns();
    Path config = config(cluster.nodes().get(0));
    String id = startNoWait(config, recipe("across_restart", "sleep", "300"));
    awaitRow(config, id, "RUNNING", Duration.ofSeconds(60), r -> r.path("state").asText().equals("RUNNING"));
    stopController();
    int before = cluster.calls().size();

    CompletableFuture<CliResult> status = CompletableFuture.supplyAsync(unchecked(() -> cli(config, "--status",
        "--output", "json")));
    // Bring it back once the call has retried at least once (two squeue calls since the stop).
    Await.value("a retried squeue", Duration.ofSeconds(30), unchecked(() -> Optional.of(true)
        .filter(x -> squeueCallsSince(before) >= 2)));
    startController();

    CliResult r = status.get(120, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("squeue: the SLURM controller cannot be reached");
    boolean found = false;
    for (JsonNode s : r.json().path("services")) {
      if (s.path("service_id").asText().equals(id)) {
        found = true;
        assertThat(s.path("state").asText()).isEqualTo("RUNNING");
      }
    }
    assertThat(found).as("service %s in %s", id, r.out()).isTrue();
  }

  private long squeueCallsSince(int before) {
    try {
      List<String> all = cluster.calls();
      return all.subList(Math.min(before, all.size()), all.size()).stream().filter(l -> l.startsWith("squeue ")).count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- slurmctld ----

  private Path controllerPidFile() {
    return cluster.dir().resolve("run/slurmctld.pid");
  }

  private Optional<Long> controllerPid() throws IOException {
    Path file = controllerPidFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file).trim();
    if (!text.matches("\\d{1,10}")) {
      return Optional.empty();
    }
    long pid = Long.parseLong(text);
    return alive(pid) ? Optional.of(pid) : Optional.empty();
  }

  /** Alive and not a zombie, as cluster.sh checks it. */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).charAt(0) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private void stopController() throws Exception {
    long pid = controllerPid().orElseThrow(() -> new AssertionError("slurmctld is not running"));
    new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    Await.value("slurmctld " + pid + " to exit", Duration.ofSeconds(30),
        () -> alive(pid) ? Optional.empty() : Optional.of(true));
  }

  /**
   * Starts slurmctld as cluster.sh does, but without {@code -c}: a restart must recover the jobs
   * from its saved state, not clear them. Returns once {@code scontrol ping} answers.
   */
  private void startController() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("slurmctld").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("slurmctld-restart.log").toFile()));
    pb.environment().put("SLURM_CONF", cluster.get("SLURM_CONF"));
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("slurmctld daemonizes").isTrue();
    Await.value("scontrol ping", Duration.ofSeconds(30),
        () -> slurmHere.run(List.of("scontrol", "ping"), Duration.ofSeconds(10)).stdout().contains("UP")
            ? Optional.of(true) : Optional.empty());
  }

  private void ensureControllerRuns() throws Exception {
    if (controllerPid().isEmpty()) {
      startController();
    }
  }

  /** A supplier for code that throws checked exceptions, failing the test on them. */
  private interface Checked<T> {
    T get() throws Exception;
  }

  private static <T> Supplier<T> unchecked(Checked<T> body) {
    return () -> {
      try {
        return body.get();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }
}
