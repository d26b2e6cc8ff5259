package io.github.hpcorchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessGroups;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSchedulerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final LocalShell shell = new LocalShell();
  private final List<SubmittedJob> started = new ArrayList<>();
  private LocalScheduler scheduler;

  @BeforeEach
  void setUp() {
    scheduler = new LocalScheduler(dir.resolve("services"), shell, Duration.ofSeconds(5));
  }

  @AfterEach
  void stopEverythingStarted() {
    for (SubmittedJob job : started) {
      scheduler.cancel(job);
    }
    shell.close();
  }

  private static JobSpec spec(String serviceId, List<String> argv, Map<String, String> env, int port) {
    return new JobSpec(serviceId, argv, env, port, ResourceSpec.none(), Optional.empty(), Map.of());
  }

  private SubmittedJob submit(JobSpec spec) {
    SubmittedJob job = scheduler.submit(spec);
    started.add(job);
    return job;
  }

  @Test
  void renderedScriptSingleQuotesHostileArgumentsAndEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("EVIL", "$(touch /tmp/x); `id`");
    env.put("QUOTES", "it's \"quoted\"");
    env.put("LINES", "one\ntwo");
    JobSpec spec = spec("generic_0a1b2c3d",
        List.of("echo", "$(touch /tmp/x)", "it's", "a;b", "line1\nline2", "{port}"), env, 8123);

    String script = scheduler.renderScript(spec);

    assertThat(script.lines().toList()).contains(
        "export EVIL='$(touch /tmp/x); `id`'",
        "export QUOTES='it'\"'\"'s \"quoted\"'",
        "export LINES='one",
        "two'",
        "cmd=(echo '$(touch /tmp/x)' 'it'\"'\"'s' 'a;b' 'line1",
        "line2' 8123)",
        "cd " + io.github.hpcorchestrator.transport.ShellQuoting.quote(dir.resolve("services").resolve("generic_0a1b2c3d").toString()) + " || exit 97");
    assertThat(script).startsWith("#!/usr/bin/env bash\n# Local job for service generic_0a1b2c3d,");
  }

  @Test
  void hostileArgumentsReachTheServiceVerbatimAndRunNothing() throws Exception {
    Path marker = dir.resolve("pwned");
    Map<String, String> env = Map.of("EVIL", "$(touch " + marker + ")");
    JobSpec spec = spec("generic_0a1b2c3d", List.of("bash", "-c", "printf '[%s]\\n' \"$@\" \"$EVIL\"", "argv0",
        "$(touch " + marker + ")", "a;touch " + marker, "it's", "x\ny"), env, 0);

    SubmittedJob job = submit(spec);
    JobStatus status = await("COMPLETED", () -> final1(job));

    assertThat(status.state()).isEqualTo(JobState.COMPLETED);
    assertThat(status.exitCode()).contains(0);
    assertThat(Files.readString(Path.of(job.serviceDir()).resolve("service.log"))).isEqualTo(
        "[$(touch " + marker + ")]\n[a;touch " + marker + "]\n[it's]\n[x\ny]\n[$(touch " + marker + ")]\n");
    assertThat(marker).doesNotExist();
  }

  @Test
  void failingJobIsFailedWithItsExitCodeAndLogTail() {
    SubmittedJob job = submit(spec("failing_job_00000001", List.of("bash", "-c", "echo hi; exit 3"), Map.of(), 0));

    JobStatus status = await("a final state", () -> final1(job));

    assertThat(status.state()).isEqualTo(JobState.FAILED);
    assertThat(status.exitCode()).contains(3);
    assertThat(status.reason()).isEqualTo("exited with code 3");
    assertThat(status.logTail()).contains("hi");
    assertThat(scheduler.logTail(job, 10)).containsExactly("hi");
  }

  @Test
  void runningJobIsCancelledWithItsWholeProcessGroup() {
    SubmittedJob job = submit(spec("sleeper_00000002",
        List.of("bash", "-c", "sleep 60 & sleep 60; wait"), Map.of(), 0));

    await("RUNNING", () -> poll(job).state() == JobState.RUNNING ? Optional.of(true) : Optional.empty());
    long pgid = Long.parseLong(job.jobId());
    // The job script and both sleeps share the group.
    await("3 processes in the group", () -> ProcessGroups.members(pgid).size() >= 3 ? Optional.of(true) : Optional.empty());
    assertThat(scheduler.discover()).containsExactly(job);

    long before = System.nanoTime();
    scheduler.cancel(job);
    Duration took = Duration.ofNanos(System.nanoTime() - before);

    assertThat(took).isLessThan(DEADLINE);
    assertThat(ProcessGroups.members(pgid)).isEmpty();
    assertThat(poll(job).state()).isEqualTo(JobState.CANCELLED);
    assertThat(poll(job).reason()).isEqualTo("stopped by the orchestrator");
    assertThat(scheduler.discover()).isEmpty();
    // Once the JVM reaped the group leader, ProcessHandle no longer sees it either.
    await("leader reaped", () -> ProcessHandle.of(pgid).filter(ProcessHandle::isAlive).isEmpty()
        ? Optional.of(true) : Optional.empty());
  }

  @Test
  void aJobIsNotThisJvmsChildAndKeepsTheDefaultInterruptSignals() throws Exception {
    SubmittedJob job = submit(spec("detached_00000005", List.of("sleep", "60"), Map.of(), 0));

    await("RUNNING", () -> poll(job).state() == JobState.RUNNING ? Optional.of(true) : Optional.empty());
    long pid = Long.parseLong(job.jobId());
    // Not a child: a JVM with a child still running waits ~300 ms at exit for its reaper thread.
    assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).doesNotContain(pid);
    // The job script catches SIGINT (its trap stops the service) rather than ignoring it: a shell
    // ignores SIGINT for its background commands, and a signal ignored at a script's start cannot be trapped.
    await("the job script's SIGINT trap", () -> (mask(job.jobId(), "SigCgt:") & 0b10) != 0
        ? Optional.of(true) : Optional.empty());
    assertThat(mask(job.jobId(), "SigIgn:") & 0b10).isZero();
    // The service itself (the script's background child) has SIGINT and SIGQUIT back at their defaults.
    // Once it runs sleep: before its exec, the child is a subshell that still ignores them.
    long service = await("the service's process", () -> ProcessHandle.of(pid).orElseThrow().children()
        .filter(c -> c.info().command().orElse("").endsWith("/sleep")).map(ProcessHandle::pid).findFirst());
    assertThat(mask(Long.toString(service), "SigIgn:") & 0b110).isZero();
  }

  @Test
  void aServiceThatIsAFunctionOfTheSetupLinesRuns() {
    Path marker = dir.resolve("served");
    submit(spec("function_00000006", List.of("serve", marker.toString()), Map.of(), 0)
        .withSetup(List.of("serve() { echo served > \"$1\"; }")));

    await("the function ran", () -> java.nio.file.Files.exists(marker) ? Optional.of(true) : Optional.empty());
  }

  /** A signal mask of /proc/PID/status ({@code field} as "SigCgt:"), bit n-1 for signal n. */
  private static long mask(String pid, String field) {
    try {
      return Long.parseLong(java.nio.file.Files.readAllLines(Path.of("/proc", pid, "status")).stream()
          .filter(l -> l.startsWith(field)).findFirst().orElseThrow().substring(field.length()).strip(), 16);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void jobPolledRightAfterSubmitIsNotFinal() {
    // Before the job's process has run setsid, its process group does not exist yet.
    for (int i = 0; i < 5; i++) {
      SubmittedJob job = submit(spec("early_0000001" + i, List.of("sleep", "60"), Map.of(), 0));

      assertThat(poll(job).state()).isIn(JobState.PENDING, JobState.RUNNING);
    }
  }

  @Test
  void aSubmitThatFailsBeforeTheProcessStartsIsARefusal() throws IOException {
    // A file where the service folder goes: nothing can have started, so the row may be final (FAILED).
    Files.createDirectories(dir.resolve("services"));
    Files.writeString(dir.resolve("services/blocked_00000009"), "not a folder\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scheduler.submit(spec("blocked_00000009",
        List.of("sleep", "60"), Map.of(), 0))).isInstanceOf(SubmitRefusedException.class)
        .hasMessageStartingWith("cannot start blocked_00000009: ");
  }

  @Test
  void cancellingAnEndedJobIsHarmless() {
    SubmittedJob job = submit(spec("quick_00000003", List.of("true"), Map.of(), 0));
    await("COMPLETED", () -> final1(job));

    scheduler.cancel(job);

    assertThat(poll(job).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void takenPortIsReplacedByAFreeOne() throws IOException {
    try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int taken = holder.getLocalPort();
      SubmittedJob job = submit(spec("porty_00000004", List.of("bash", "-c", "echo \"$PORT\"; sleep 60"),
          Map.of("PORT", "{port}"), taken));

      Connection connection = await("connection file", () -> scheduler.connection(job));

      assertThat(connection.port()).isNotEqualTo(taken).isPositive();
      assertThat(connection.host()).isEqualTo("localhost");
      assertThat(connection.jobId()).isEqualTo(job.jobId());
      await("port in log", () -> scheduler.logTail(job, 1).equals(List.of(Integer.toString(connection.port())))
          ? Optional.of(true) : Optional.empty());
    }
  }

  @Test
  void freeRequestedPortIsKept() throws IOException {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort();
    }
    SubmittedJob job = submit(spec("porty_00000005", List.of("sleep", "60"), Map.of(), free));

    assertThat(await("connection file", () -> scheduler.connection(job)).port()).isEqualTo(free);
  }

  @Test
  void twoJobsAskingForOnePortBeforeEitherBindsGetDifferentPorts() throws IOException {
    int wanted;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      wanted = probe.getLocalPort();
    }
    // Neither job ever listens: only what the picker handed out can keep them apart.
    SubmittedJob first = submit(spec("first_0123abcd", List.of("sleep", "30"), Map.of(), wanted));
    SubmittedJob second = submit(spec("second_0123abcd", List.of("sleep", "30"), Map.of(), wanted));

    assertThat(await("first connection", () -> scheduler.connection(first)).port()).isEqualTo(wanted);
    assertThat(await("second connection", () -> scheduler.connection(second)).port()).isNotEqualTo(wanted);
  }

  @Test
  void aPortOfAJobThatEndedIsHandedOutAgain() throws IOException {
    int wanted;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      wanted = probe.getLocalPort();
    }
    SubmittedJob done = submit(spec("done_0123abcd", List.of("true"), Map.of(), wanted));
    await("COMPLETED", () -> final1(done));
    SubmittedJob next = submit(spec("next_0123abcd", List.of("sleep", "30"), Map.of(), wanted));
    assertThat(await("connection", () -> scheduler.connection(next)).port()).isEqualTo(wanted);
  }

  @Test
  void aGroupIdReusedByAnotherProgramIsReportedGoneAndNeverSignalled() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(io.github.hpcorchestrator.testbed.ReusedPid.possible(),
        "choosing the next process ID needs root");
    SubmittedJob job = submit(spec("victim_0123abcd", List.of("sleep", "300"), Map.of(), 0));
    await("RUNNING", () -> poll(job).state() == JobState.RUNNING ? Optional.of(true) : Optional.empty());
    long pgid = Long.parseLong(job.jobId());
    // Killed like the OOM killer would: no trap runs, no exit code is written.
    new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).start().waitFor();
    await("group gone", () -> ProcessGroups.members(pgid).isEmpty() && ProcessHandle.of(pgid).isEmpty()
        ? Optional.of(true) : Optional.empty());
    ProcessHandle impostor = io.github.hpcorchestrator.testbed.ReusedPid.start(pgid);
    try {
      assertThat(ProcessGroups.members(pgid)).containsExactly(pgid);

      JobStatus status = poll(job);
      assertThat(status.state()).isEqualTo(JobState.FAILED);
      assertThat(status.reason()).startsWith("process gone");
      assertThat(scheduler.discover()).isEmpty();
      scheduler.cancel(job);
      assertThat(impostor.isAlive()).as("the unrelated program with the job's old group ID").isTrue();
    } finally {
      impostor.destroyForcibly();
    }
  }

  private JobStatus poll(SubmittedJob job) {
    return scheduler.poll(List.of(job)).get(job.serviceId());
  }

  private Optional<JobStatus> final1(SubmittedJob job) {
    JobStatus status = poll(job);
    return status.state().isFinal() ? Optional.of(status) : Optional.empty();
  }

  private static <T> T await(String what, Supplier<Optional<T>> condition) {
    return Await.value(what, DEADLINE, condition);
  }
}
