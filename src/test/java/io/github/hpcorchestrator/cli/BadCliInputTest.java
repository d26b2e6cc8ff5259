package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad service IDs and unreachable monitors on the command line, in-process on the local backend:
 * one line on stderr, no stack trace, the documented exit code, and no side effect (no file made
 * by a hostile ID, no service started).
 */
class BadCliInputTest {
  private static final String PWN = "/tmp/pwn-" + UUID.randomUUID();
  private static final List<String> ID_ACTIONS = List.of("--service-endpoint", "--stop-service",
      "--monitor-status", "--stop-monitor", "--monitor-endpoint", "--query-service-metrics", "--wait");

  @TempDir Path dir;
  private Path state;
  private Path config;
  private Process sleeper;

  @BeforeEach
  void writeConfig() throws IOException {
    state = dir.resolve("state");
    config = Files.writeString(dir.resolve("config.yaml"),
        "backend: local\nstate_dir: " + state + "\nrecipes_dir: " + dir.resolve("recipes") + "\n");
  }

  @AfterEach
  void stopSleeper() throws InterruptedException, java.io.IOException {
    if (sleeper != null) {
      // The whole group: the job script's own sleep too.
      new ProcessBuilder("kill", "-KILL", "--", "-" + sleeper.pid()).start().waitFor(10, TimeUnit.SECONDS);
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private CliResult run(String... args) {
    return LocalCli.call(config, args);
  }

  /** The action with {@code id} in its place (and a query where the action takes one). */
  private CliResult runAction(String action, String id) {
    return action.equals("--query-service-metrics") ? run(action, id, "up") : run(action, id);
  }

  private static void assertOneLine(CliResult r, int code, String start) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
    assertThat(r.out()).as("stdout").isEmpty();
    assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("at io.github").startsWith(start);
  }

  static Stream<Arguments> hostileIds() {
    List<Arguments> cases = new ArrayList<>();
    List<String> ids = List.of(
        "x;touch " + PWN + "-1",
        "x'; touch " + PWN + "-2; echo '",
        "x\"; touch " + PWN + "-3; echo \"",
        "$(touch " + PWN + "-4)",
        "`touch " + PWN + "-5`",
        "web_deadbeef\ntouch " + PWN + "-6",
        "../web_deadbeef",
        "../../etc/passwd",
        "web_deadbeef/../../x",
        "-rf");
    for (String action : ID_ACTIONS) {
      for (String id : ids) {
        cases.add(Arguments.of(action, id));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("hostileIds")
  void hostileIdIsAnInputErrorAndRunsNothing(String action, String id) {
    CliResult r = runAction(action, id);

    assertOneLine(r, 2, "error: '");
    assertThat(r.err()).contains("is not a service ID");
    assertThat(Path.of("/tmp")).isDirectoryNotContaining(p -> p.toString().startsWith(PWN));
    assertThat(state.resolve("services")).doesNotExist();
  }

  @Test
  void waitWithARecipeTakesNoIdAndExcludesNoWait() {
    // Usage errors: the line, then the pointer to --help; nothing connects or starts.
    assertUsage(run("--recipe", "any.yaml", "--wait", "chat_0123abcd"), "error: --recipe R --wait takes no ID");
    assertUsage(run("--recipe", "any.yaml", "--no-wait", "--wait"), "error: --wait and --no-wait exclude");
    assertUsage(run("--status", "--wait"), "error: --wait does not apply to --status");
    assertThat(state.resolve("services")).doesNotExist();
  }

  private static void assertUsage(CliResult r, String start) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).as("stdout").isEmpty();
    assertThat(r.err()).startsWith(start).doesNotContain("Exception");
  }

  @Test
  void idWithNewlineIsShownEscapedOnOneLine() {
    CliResult r = run("--service-endpoint", "a\nb\rc");

    assertOneLine(r, 2, "error: 'a\\x0ab\\x0dc' is not a service ID");
  }

  static Stream<String> unknownIds() {
    return Stream.of("deadbeef", "web_deadbeef", "prometheus_00000000");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownIds")
  void unknownIdIsAnInputError(String id) {
    for (String action : ID_ACTIONS) {
      CliResult r = runAction(action, id);
      assertOneLine(r, 2, "error: no service with ID '" + id + "' (see --status for the services known)");
    }
  }

  @Test
  void ambiguousHexIsAnInputErrorNamingBoth() {
    try (StateStore store = StateStore.open(state)) {
      store.put(record("a_0badcafe", "a", JobState.COMPLETED, "", 0, ""));
      store.put(record("b_0badcafe", "b", JobState.COMPLETED, "", 0, ""));
    }
    for (String action : ID_ACTIONS) {
      CliResult r = runAction(action, "0badcafe");
      assertOneLine(r, 2, "error: service ID '0badcafe' is ambiguous: it matches a_0badcafe, b_0badcafe;"
          + " give the full ID");
    }
    // The full IDs still work.
    CliResult full = run("--stop-service", "a_0badcafe");
    assertThat(full.code()).as(full.err()).isZero();
  }

  @Test
  void monitorWhoseProcessIsGoneIsARuntimeErrorOnOneLine() {
    // A Prometheus that state believes RUNNING, whose process group does not exist (any more).
    Path serviceDir = state.resolve("services/prometheus_0badcafe");
    try (StateStore store = StateStore.open(state)) {
      store.put(record("prometheus_0badcafe", "prometheus", JobState.RUNNING, serviceDir.toString(),
          closedPort(), "999999999"));
    }

    CliResult r = run("--query-service-metrics", "prometheus_0badcafe", "up");

    assertOneLine(r, 1, "error: monitor prometheus_0badcafe is FAILED, not running: nothing to query");
  }

  @Test
  void runningMonitorThatDoesNotAnswerIsARuntimeErrorOnOneLine() throws Exception {
    // A live process group that state calls a Prometheus, with a port nobody listens on. Its leader
    // runs the folder's job.sh, as a real job's does: another program's group would read as gone.
    Path serviceDir = Files.createDirectories(state.resolve("services/prometheus_0badcafe"));
    Path script = Files.writeString(serviceDir.resolve("job.sh"), "sleep 120\n");
    sleeper = new ProcessBuilder("setsid", "bash", script.toString()).start();
    String pgid = Long.toString(sleeper.pid());
    Files.writeString(serviceDir.resolve("job.pid"), pgid + "\n");
    int port = closedPort();
    try (StateStore store = StateStore.open(state)) {
      store.put(record("prometheus_0badcafe", "prometheus", JobState.RUNNING, serviceDir.toString(), port,
          pgid));
    }

    CliResult query = run("--query-service-metrics", "0badcafe", "up");
    assertOneLine(query, 1, "error: Prometheus at http://localhost:" + port + " not reachable: ");

    CliResult monitor = run("--monitor-status", "0badcafe");
    assertOneLine(monitor, 1, "error: Prometheus at http://localhost:" + port + " not reachable: ");
  }

  /** A loopback port that was free a moment ago. */
  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A local-backend record as a start would have left it, with job (process group) {@code jobId}. */
  private static ServiceRecord record(String id, String name, JobState jobState, String dir, int port,
      String jobId) {
    return new ServiceRecord(id, name, "session_1", "local", jobId, dir, port, jobState, "localhost",
        "localhost", port, Optional.empty(), Instant.now(), Optional.of(Instant.now()), Optional.empty(),
        "test.yaml");
  }
}
