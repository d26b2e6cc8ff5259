package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.ContainerRuntime;
import io.github.hpcorchestrator.cluster.CountingScheduler;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.cluster.LocalScheduler;
import io.github.hpcorchestrator.state.SecretStore;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
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
  private final LocalShell shell = new LocalShell();
  private CountingScheduler scheduler;
  private StateStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    shell.close();
  }

  private ServersModule servers() {
    scheduler = new CountingScheduler(new LocalScheduler(dir.resolve("services"), shell, Duration.ofSeconds(10)));
    store = StateStore.open(dir);
    JobPlanner planner = new JobPlanner(new ContainerRuntime(shell, "this machine", "install Apptainer",
        dir.toString(), List.of(), s -> {}), s -> {});
    return new ServersModule(scheduler, shell, store, new ServiceKinds(List.of(new GenericKind())),
        new ServiceId(new SecureRandom()), Function.identity(), new ReadinessWaiter(shell, s -> {}),
        new RuntimeBundle(shell, dir.toString(), List.of(), Optional.empty()), new SecretStore(dir), planner,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private ServiceRecord row(JobState state) {
    ServiceRecord r = new ServiceRecord(ID, "sleeper", "session_1", "local", "4000001", scheduler.folderOf(ID), 0,
        state, "node1", "", 0, Optional.empty(), NOW.minusSeconds(600), Optional.of(NOW.minusSeconds(590)),
        state.isFinal() ? Optional.of(NOW.minusSeconds(500)) : Optional.empty(), "r.yaml",
        state.isFinal() ? "exited with code 3" : "");
    store.newSession("r.yaml", NOW);
    store.insert(r);
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
    scheduler.answerPolls(jobs -> Map.of(ID, new JobStatus(JobState.FAILED, "exited with code 3", Optional.of(3),
        List.of("node1"), Optional.empty(), tail)));

    assertThat(tailOf(servers.refresh())).isEqualTo(tail);
    for (int i = 0; i < 3; i++) {
      assertThat(tailOf(servers.refresh())).as("refresh " + (i + 2)).isEqualTo(tail);
    }

    assertThat(scheduler.polls.get()).as("polled only while it ran").isEqualTo(1);
    assertThat(scheduler.logTails.get()).as("no tail read after the poll").isZero();
    assertThat(store.service(ID).orElseThrow().state()).isEqualTo(JobState.FAILED);
  }

  @Test
  void aFailedRowFromBeforeTailsWereKeptHasItsLogReadOnceThenNeverAgain() throws IOException {
    ServersModule servers = servers();
    row(JobState.FAILED);
    Path folder = Files.createDirectories(Path.of(scheduler.folderOf(ID)));
    Files.writeString(folder.resolve("service.log"), "starting\nerror: bad flag\n");

    for (int i = 0; i < 4; i++) {
      assertThat(tailOf(servers.refresh())).as("refresh " + (i + 1)).containsExactly("starting", "error: bad flag");
    }

    assertThat(scheduler.logTails.get()).isEqualTo(1);
    assertThat(scheduler.polls.get()).as("a final row is never polled").isZero();
  }

  @Test
  void clearStateForgetsTheKeptTailWithItsService() throws IOException {
    ServersModule servers = servers();
    row(JobState.FAILED);
    Files.createDirectories(Path.of(scheduler.folderOf(ID)));
    servers.refresh();
    assertThat(store.logTails()).containsKey(ID);

    servers.clearState();

    assertThat(store.logTails()).isEmpty();
    assertThat(store.services()).isEmpty();
  }
}
