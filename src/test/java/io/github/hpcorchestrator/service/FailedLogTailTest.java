package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh reads a failed service's log once, when it is first seen final (or, for a row from
 * before tails were kept, on the first refresh), keeps its tail in state, and never reads it again.
 */
class FailedLogTailTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final String ID = "sleeper_0123abcd";

  @TempDir Path dir;
  @AutoClose
  private FakeServers fake;

  private ServersModule servers() {
    return (fake = new FakeServers(dir, "local")).servers;
  }

  private long calls(String prefix) {
    return fake.scheduler.calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  private ServiceRecord row(JobState state) {
    ServiceRecord r = new ServiceRecord(ID, "sleeper", "session_1", "local", "4000001", fake.scheduler.folderOf(ID), 0,
        state, "node1", "", 0, Optional.empty(), NOW.minusSeconds(600), Optional.of(NOW.minusSeconds(590)),
        state.isFinal() ? Optional.of(NOW.minusSeconds(500)) : Optional.empty(), "r.yaml",
        state.isFinal() ? "exited with code 3" : "");
    fake.store.newSession("r.yaml", NOW);
    fake.store.insert(r);
    return r;
  }

  private static List<String> tailOf(List<ServiceStatus> statuses) {
    return statuses.stream().filter(s -> s.serviceId().equals(ID)).findFirst().orElseThrow().job().logTail();
  }

  @Test
  void aServiceFirstSeenFailedKeepsThePollsTailAndNoLaterRefreshReadsItsLog() {
    ServersModule servers = servers();
    row(JobState.RUNNING);
    List<String> tail = List.of("loading model", "error: out of memory");
    fake.scheduler.states.put(ID, new JobStatus(JobState.FAILED, "exited with code 3", Optional.of(3),
        List.of("node1"), Optional.empty(), tail));

    assertThat(tailOf(servers.refresh())).isEqualTo(tail);
    for (int i = 0; i < 3; i++) {
      assertThat(tailOf(servers.refresh())).as("refresh " + (i + 2)).isEqualTo(tail);
    }

    assertThat(calls("poll")).as("polled only while it ran").isEqualTo(1);
    assertThat(calls("logTail")).as("no tail read after the poll").isZero();
    assertThat(fake.store.service(ID).orElseThrow().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void aFailedRowFromBeforeTailsWereKeptHasItsLogReadOnceThenNeverAgain() {
    ServersModule servers = servers();
    row(JobState.FAILED);

    for (int i = 0; i < 4; i++) {
      assertThat(tailOf(servers.refresh())).as("refresh " + (i + 1)).containsExactly("last line of " + ID);
    }

    assertThat(calls("logTail")).isEqualTo(1);
    assertThat(calls("poll")).as("a final row is never polled").isZero();
  }

  @Test
  void clearStateForgetsTheKeptTailWithItsService() {
    ServersModule servers = servers();
    row(JobState.FAILED);
    servers.refresh();
    assertThat(fake.store.logTails()).containsKey(ID);

    servers.clearState();

    assertThat(fake.store.logTails()).isEmpty();
    assertThat(fake.store.services()).isEmpty();
  }
}
