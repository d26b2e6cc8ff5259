package io.github.hpcorchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.testbed.ReadOnlyMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8: state that cannot be written is still read, and every problem with the state
 * database is one line naming the file and what to do.
 */
class UnwritableStateTest {
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

  @TempDir Path dir;

  private static ServiceRecord running(String id) {
    return new ServiceRecord(id, "node_exporter", "session_1", "local", "4242", "/s/" + id, 9100,
        JobState.RUNNING, "node1", "localhost", 9100, Optional.empty(), T0, Optional.of(T0), Optional.empty(), "r.yaml");
  }

  private Path stateWithOneService() {
    Path state = dir.resolve("state");
    try (StateStore store = StateStore.open(state)) {
      store.newSession("r.yaml", T0);
      store.put(running("node_exporter_6355d49f"));
    }
    return state;
  }

  @Test
  void aReadOnlyMountIsReadAndRefusesWritesInOneLine() throws Exception {
    Path state = stateWithOneService();
    Path db = state.resolve("state.db");

    try (ReadOnlyMount mount = ReadOnlyMount.of(state); StateStore store = StateStore.open(state)) {
      assertThat(store.services()).extracting(ServiceRecord::serviceId).containsExactly("node_exporter_6355d49f");
      assertThat(store.service("node_exporter_6355d49f")).isPresent();
      assertThat(store.sessionExists("session_1")).isTrue();
      assertThat(store.readOnly()).isTrue();
      // A status refresh's observation is a cache: not kept, and no failure.
      ServiceRecord r = running("node_exporter_6355d49f");
      store.observe(List.of(new ServiceRecord(r.serviceId(), r.name(), r.sessionId(), r.backend(), r.jobId(),
          r.serviceDir(), r.requestedPort(), JobState.COMPLETED, r.node(), r.host(), r.port(), Optional.of(0),
          r.submittedAt(), r.startedAt(), Optional.of(T0.plusSeconds(9)), r.recipe())));
      assertThat(store.service("node_exporter_6355d49f").orElseThrow().state()).isEqualTo(JobState.RUNNING);

      assertThatThrownBy(() -> store.newSession("r.yaml", T0))
          .isInstanceOf(OperationFailedException.class)
          .hasMessage("the state database " + db + " is read-only: this command changes state, so make it and"
              + " its folder writable (or set state_dir to a writable folder); --status and queries work as it is");
    }
  }

  @Test
  void anImmutableDatabaseFileIsReadToo() throws Exception {
    Path state = stateWithOneService();
    Path db = state.resolve("state.db");
    Process chattr = new ProcessBuilder("chattr", "+i", db.toString()).inheritIO().start();
    org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i is not supported here");
    try (StateStore store = StateStore.open(state)) {
      assertThat(store.services()).hasSize(1);
      assertThatThrownBy(store::forgetFinished).isInstanceOf(OperationFailedException.class)
          .hasMessageStartingWith("the state database " + db + " is read-only: ");
    } finally {
      new ProcessBuilder("chattr", "-i", db.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void aStateDirThatIsAFileIsAnErrorNotEmptyState() throws Exception {
    Path file = Files.writeString(dir.resolve("state"), "not a folder");

    assertThatThrownBy(() -> StateStore.open(file))
        .isInstanceOf(InputException.class)
        .hasMessage("state_dir " + file + " is not a folder: move that file aside, or set state_dir in the config"
            + " to a folder");
  }

  @Test
  void aZeroByteDatabaseIsAnErrorNotAFreshStart() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path db = Files.createFile(state.resolve("state.db"));

    assertThatThrownBy(() -> StateStore.open(state))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("the state database " + db + " is empty (0 bytes), not a database this tool made; move it aside"
            + " (mv " + db + " " + db + ".broken) to start afresh, or put back a copy");
    assertThat(db).isEmptyFile();
  }

  @Test
  void aGarbageDatabaseSaysHowToRecover() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path db = Files.writeString(state.resolve("state.db"), "this is not SQLite\n".repeat(100));

    assertThatThrownBy(() -> StateStore.open(state))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage("the state database " + db + " is damaged or not an SQLite database; move it aside (mv " + db
            + " " + db + ".broken) to start afresh, or put back a copy");
    assertThat(db).hasContent("this is not SQLite\n".repeat(100).strip());
  }

  @Test
  void draftsOfAKilledFirstWriteAreRemoved() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path state = stateWithOneService();
    Path dead = Files.writeString(state.resolve("state.db." + ended.pid() + ".0a1b2c3d-0000-4000-8000-000000000000.new"), "");
    Path live = Files.writeString(state.resolve("state.db." + ProcessHandle.current().pid()
        + ".0a1b2c3d-0000-4000-8000-000000000001.new"), "");

    try (StateStore store = StateStore.open(state)) {
      store.newSession("r.yaml", T0);
    }

    assertThat(dead).doesNotExist();
    assertThat(live).exists();
  }
}
