package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.testbed.ReadOnlyMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8 through the CLI: read-only commands work on state that cannot be written, a
 * command that writes says in one line why it cannot, and a state folder or database that is not
 * what it should be is one line naming it and what to do, never an empty listing.
 */
class UnwritableStateCliTest {
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
  private static final String ENDED = "node_exporter_6355d49f";
  private static final String GONE = "node_exporter_0a1b2c3d";

  @TempDir Path dir;
  private LocalCli cli;
  private Path state;

  @BeforeEach
  void setUp() throws Exception {
    cli = new LocalCli(dir);
    state = dir.resolve("state");
  }

  /** One service that ended, and one recorded as running whose process is long gone. */
  private void twoServices() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    try (StateStore store = StateStore.open(state)) {
      store.newSession("r.yaml", T0);
      store.put(new ServiceRecord(ENDED, "node_exporter", "session_1", "local", "4242",
          state.resolve("services/" + ENDED).toString(), 9100, JobState.CANCELLED, "localhost", "localhost", 9100,
          Optional.of(143), T0, Optional.of(T0), Optional.of(T0.plusSeconds(5)), "r.yaml"));
      store.put(new ServiceRecord(GONE, "node_exporter", "session_1", "local", Long.toString(ended.pid()),
          state.resolve("services/" + GONE).toString(), 9100, JobState.RUNNING, "localhost", "localhost", 9101,
          Optional.empty(), T0, Optional.of(T0), Optional.empty(), "r.yaml"));
    }
    Files.createDirectories(state.resolve("services/" + GONE));
    Files.createDirectories(state.resolve("services/" + ENDED));
  }

  private static void assertOneLine(CliResult r, int code, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).isEqualTo("error: " + message + "\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void readOnlyCommandsWorkOnAReadOnlyMount() throws Exception {
    twoServices();
    try (ReadOnlyMount mount = ReadOnlyMount.of(state)) {
      CliResult status = cli.run("--status");
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.out()).contains(ENDED).contains(GONE);
      assertThat(cli.json("--status").toString()).contains(ENDED);

      CliResult running = cli.run("--list-running-services");
      assertThat(running.code()).as(running.err()).isZero();
      assertThat(running.out()).doesNotContain(ENDED);

      CliResult endpoint = cli.run("--service-endpoint", ENDED);
      assertThat(endpoint.err()).doesNotContain("read-only").doesNotContain("Exception");
      assertThat(cli.run("--list-services").code()).isZero();

      assertOneLine(cli.run("--clear-state"), 1, "the state database " + state.resolve("state.db") + " is read-only:"
          + " this command changes state, so make it and its folder writable (or set state_dir to a writable"
          + " folder); --status and queries work as it is");
    }
    // Nothing observed while read-only was lost: the next writable call records it.
    assertThat(cli.run("--status").code()).isZero();
    try (StateStore store = StateStore.open(state)) {
      assertThat(store.service(GONE).orElseThrow().state().isFinal()).isTrue();
    }
  }

  @Test
  void aStateDirThatIsAFileIsAnError() throws Exception {
    Files.writeString(state, "x");

    assertOneLine(cli.run("--status"), 2, "state_dir " + state + " is not a folder: move that file aside, or set"
        + " state_dir in the config to a folder");
  }

  @Test
  void aZeroByteDatabaseIsAnErrorAndStaysAsItIs() throws Exception {
    Path db = Files.createFile(Files.createDirectories(state).resolve("state.db"));

    assertOneLine(cli.run("--status"), 1, "the state database " + db + " is empty (0 bytes), not a database this"
        + " tool made; move it aside (mv " + db + " " + db + ".broken) to start afresh, or put back a copy");
    assertOneLine(cli.run("--recipe", LocalCli.REPO.resolve("recipes/services/node_exporter.yaml").toString()), 1,
        "the state database " + db + " is empty (0 bytes), not a database this tool made; move it aside (mv " + db
            + " " + db + ".broken) to start afresh, or put back a copy");
    assertThat(db).isEmptyFile();
  }

  @Test
  void aGarbageDatabaseSaysHowToRecover() throws Exception {
    Path db = Files.writeString(Files.createDirectories(state).resolve("state.db"), "garbage\n".repeat(200));

    assertOneLine(cli.run("--status"), 1, "the state database " + db + " is damaged or not an SQLite database;"
        + " move it aside (mv " + db + " " + db + ".broken) to start afresh, or put back a copy");
  }
}
