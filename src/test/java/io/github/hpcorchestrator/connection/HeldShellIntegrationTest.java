package io.github.hpcorchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.config.HpcConfig;
import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.SharedCluster;
import io.github.hpcorchestrator.testbed.TempFolder;
import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.CommandResult;
import io.github.hpcorchestrator.transport.Shell;
import io.github.hpcorchestrator.transport.ShellContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HeldShell} and its holder against the test cluster's real sshd: the {@link Shell}
 * contract, one login for many calls, --disconnect, a killed, a hung and an orphaned holder, other
 * users, idle end.
 */
@Tag("integration")
@ExtendWith(SharedCluster.class)
class HeldShellIntegrationTest extends ShellContract {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestCluster cluster;
  private static Path work;
  private static Path contractState;
  private static Shell contractShell;
  private static Path knownHosts;

  @BeforeAll
  static void up(TestCluster shared) throws Exception {
    cluster = shared;
    work = cluster.workDir("held");
    knownHosts = scanHostKeys();
    contractState = stateDir("contract");
    contractShell = HeldShell.forConfig(hpc(Duration.ofMinutes(2)), contractState);
  }

  @AfterAll
  static void down() throws Exception {
    if (contractShell != null) {
      contractShell.close();
    }
    if (work != null) {
      // The cluster is the run's: no holder of this class outlives the class.
      try (var dirs = Files.list(work)) {
        for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("state-")).toList()) {
          Holders.disconnect(d);
        }
      }
    }
  }

  @Override
  protected Shell shell() {
    return contractShell;
  }

  @Override
  protected Path scratch() {
    return work;
  }

  /**
   * Every host key the shared cluster's sshd offers now: another class may have added an ECDSA
   * one (EcdsaLogin) that MINA prefers over the ed25519 key in the cluster's own known_hosts.
   */
  private static Path scanHostKeys() throws IOException, InterruptedException {
    Path file = work.resolve("known_hosts_scanned");
    Process p = new ProcessBuilder("ssh-keyscan", "-p", cluster.get("LOGIN_PORT"), cluster.get("LOGIN_HOST"))
        .redirectOutput(file.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(file)).contains("ssh-");
    return file;
  }

  private static HpcConfig hpc(Duration persist) {
    return new HpcConfig(cluster.get("LOGIN_HOST"), Integer.parseInt(cluster.get("LOGIN_PORT")),
        Optional.of(cluster.get("SSH_USER")), Optional.of(Path.of(cluster.get("SSH_KEY"))),
        knownHosts, HpcConfig.HostKeyChecking.YES, persist);
  }

  private static Path stateDir(String name) throws IOException {
    Path dir = work.resolve("state-" + name);
    Files.createDirectories(dir);
    // Others may pass through, as in a usual home: only the connection folder keeps them out.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static String echo(Path stateDir, Duration persist, String word) {
    try (Shell s = HeldShell.forConfig(hpc(persist), stateDir)) {
      CommandResult r = s.run(List.of("echo", word), T);
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      return r.stdout();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, WAIT, condition);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void theSecondCallMakesNoNewLogin() throws Exception {
    Path state = stateDir("logins");
    long before = cluster.acceptedLogins();

    assertThat(echo(state, Duration.ofMinutes(2), "one")).isEqualTo("one\n");
    long afterFirst = cluster.acceptedLogins();
    assertThat(echo(state, Duration.ofMinutes(2), "two")).isEqualTo("two\n");
    assertThat(echo(state, Duration.ofMinutes(2), "three")).isEqualTo("three\n");

    assertThat(afterFirst - before).isEqualTo(1);
    assertThat(cluster.acceptedLogins()).isEqualTo(afterFirst);
    assertThat(Holders.statusLine(state)).startsWith("held SSH connection: in use for");
  }

  @Test
  void callsStartingTogetherWithAHeadStartShareOneLogin() throws Exception {
    Path state = stateDir("together");
    long before = cluster.acceptedLogins();

    // What FrontMain does for a cold servable call: the holder starts while the call sets up.
    CompletableFuture<Boolean> head = CompletableFuture.supplyAsync(
        () -> Holders.ensure(hpc(Duration.ofMinutes(2)), state));
    List<CompletableFuture<String>> calls = List.of("a", "b", "c").stream()
        .map(w -> CompletableFuture.supplyAsync(() -> echo(state, Duration.ofMinutes(2), w))).toList();

    assertThat(head.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(List.of("a", "b", "c").get(i) + "\n");
    }
    assertThat(cluster.acceptedLogins() - before).isEqualTo(1);
  }

  @Test
  void disconnectEndsTheHolder() throws Exception {
    Path state = stateDir("disconnect");
    echo(state, Duration.ofMinutes(2), "x");
    long pid = Holders.pid(state).orElseThrow();

    assertThat(Holders.disconnect(state)).isTrue();

    await("holder " + pid + " ends", () -> !alive(pid));
    assertThat(HolderFolder.in(state).socket()).doesNotExist();
    assertThat(Holders.statusLine(state)).isEqualTo("held SSH connection: none");
    assertThat(Holders.disconnect(state)).isFalse();
  }

  @Test
  void aHolderKilledMidCommandGivesTheAnswerThroughAFreshConnection() throws Exception {
    Path state = stateDir("kill");
    Path started = work.resolve("kill-started");
    try (Shell s = HeldShell.forConfig(hpc(Duration.ofMinutes(2)), state)) {
      s.run(List.of("true"), T);
      long pid = Holders.pid(state).orElseThrow();

      CompletableFuture<CommandResult> answer = CompletableFuture.supplyAsync(() -> s.run(
          List.of("sh", "-c", "touch \"$0\"; sleep 2; echo answer", started.toString()), T));
      await("the command started", () -> Files.exists(started));
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();

      CommandResult r = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.stdout()).isEqualTo("answer\n");
    }
    // The next call finds the dead holder's socket, starts a new one and is answered.
    assertThat(echo(state, Duration.ofMinutes(2), "after")).isEqualTo("after\n");
  }

  @Test
  void anotherUserCannotUseTheSocket() throws Exception {
    Path state = stateDir("other-uid");
    echo(state, Duration.ofMinutes(2), "x");
    Path socket = HolderFolder.in(state).socket();
    assertThat(socket).exists();

    Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c",
        "import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
            + "try:\n  s.connect(sys.argv[1]); print('connected')\n"
            + "except OSError as e:\n  print('refused', e.errno)\n", socket.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String said = new String(p.getInputStream().readAllBytes()).strip();

    assertThat(said).startsWith("refused 13");
  }

  @Test
  void aHolderPastItsIdleTimeIsGoneAndLeavesNoSocket() throws Exception {
    Path state = stateDir("idle");
    echo(state, Duration.ofSeconds(2), "x");
    long pid = Holders.pid(state).orElseThrow();
    Path socket = HolderFolder.in(state).socket();

    await("idle holder " + pid + " ends", () -> !alive(pid));

    assertThat(socket).doesNotExist();
  }

  @Test
  void aHolderWhoseStateFolderIsRemovedEnds() throws Exception {
    Path state = stateDir("removed");
    echo(state, Duration.ofMinutes(2), "x");
    long pid = Holders.pid(state).orElseThrow();

    TempFolder.deleteQuietly(state);

    await("holder " + pid + " of a removed state folder ends", () -> !alive(pid));
    assertThat(state).doesNotExist();
  }

  @Test
  void aHungHolderIsKilledAndReplaced() throws Exception {
    Path state = stateDir("hung");
    echo(state, Duration.ofMinutes(2), "x");
    long pid = Holders.pid(state).orElseThrow();
    signal("STOP", pid);
    try {
      assertThat(echo(state, Duration.ofMinutes(2), "after")).isEqualTo("after\n");

      await("stopped holder " + pid + " is killed", () -> !alive(pid));
      long successor = Holders.pid(state).orElseThrow();
      assertThat(successor).isNotEqualTo(pid);
      assertThat(HolderProcess.read(HolderFolder.in(state).process()).orElseThrow().pid()).isEqualTo(successor);
    } finally {
      if (alive(pid)) {
        signal("CONT", pid);
      }
    }
  }

  private static void signal(String name, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void persistZeroKeepsNoHolder() throws Exception {
    Path state = stateDir("off");
    assertThat(echo(state, Duration.ZERO, "x")).isEqualTo("x\n");
    assertThat(state.resolve("connection")).doesNotExist();
  }
}
