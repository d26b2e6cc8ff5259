package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.FakeScheduler;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmitRefusedException;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local and a SLURM config that share one state_dir (the shipped config.yaml and the README's
 * SLURM example do): each backend observes, adopts and stops only its own rows. And a submit
 * whose outcome is unknown is left for OrphanJobs rather than recorded as final.
 */
class ServersModuleBackendTest {
  private static final Instant NOW = FakeServers.NOW;

  @TempDir Path dir;
  private FakeServers fake;
  private FakeScheduler scheduler;
  private StateStore store;

  @AfterEach
  void close() {
    if (fake != null) {
      fake.close();
    }
  }

  private ServersModule servers() {
    fake = new FakeServers(dir, "local");
    scheduler = fake.scheduler;
    store = fake.store;
    return fake.servers;
  }

  private static ServiceRecord slurmRow(String id, String jobId, JobState state, Instant submitted) {
    return new ServiceRecord(id, "sleeper", "session_1", "slurm", jobId, "/home/alice/.orchestrator/services/" + id,
        0, state, jobId.isEmpty() ? "" : "cn1", "", 0, Optional.empty(), submitted, Optional.empty(), Optional.empty(),
        "r.yaml");
  }

  private static ServiceSpec sleeper() {
    return FakeServers.sleeper("sleeper");
  }

  @Test
  void anotherBackendsRowsAreShownAsStoredNeverPolledAdoptedOrSettled() {
    ServersModule servers = servers();
    store.newSession("r.yaml", NOW);
    ServiceRecord running = slurmRow("sleeper_0123abcd", "7", JobState.RUNNING, NOW.minusSeconds(60));
    // Long past the submit grace: a local refresh would settle it as UNKNOWN if it were its own.
    ServiceRecord submitting = slurmRow("sleeper_89abcdef", "", JobState.PENDING, NOW.minus(Duration.ofHours(1)));
    store.insert(running);
    store.insert(submitting);

    List<ServiceStatus> statuses = servers.refresh();

    assertThat(scheduler.polled).isEmpty();
    assertThat(scheduler.found).isEmpty();
    assertThat(statuses).extracting(ServiceStatus::state).containsExactlyInAnyOrder(JobState.RUNNING, JobState.PENDING);
    assertThat(store.service(running.serviceId())).contains(running);
    assertThat(store.service(submitting.serviceId())).contains(submitting);
  }

  @Test
  void stoppingAnotherBackendsRowIsRefusedInOneLineAndStopAllLeavesIt() {
    ServersModule servers = servers();
    store.newSession("r.yaml", NOW);
    ServiceRecord running = slurmRow("sleeper_0123abcd", "7", JobState.RUNNING, NOW.minusSeconds(60));
    store.insert(running);

    assertThatThrownBy(() -> servers.stopService("sleeper_0123abcd"))
        .isInstanceOf(InputException.class)
        .hasMessage("service sleeper_0123abcd runs on the slurm backend: stop it with that backend's config"
            + " (this one is local)");
    assertThat(servers.stopAllServices()).isEmpty();
    assertThat(scheduler.cancelled).isEmpty();
    assertThat(store.service(running.serviceId())).contains(running);
  }

  @Test
  void aSubmitWhoseOutcomeIsUnknownStaysPendingAndIsAdoptedOnceItsJobIsFound() {
    ServersModule servers = servers();
    scheduler.failSubmitsWith(new OperationFailedException("the connection to alice@login was lost while running"
        + " sbatch; it may or may not have finished"));
    String session = store.newSession("r.yaml", NOW);

    assertThatThrownBy(() -> servers.startService(sleeper(), session, "r.yaml", false))
        .hasMessageContaining("may or may not have finished");

    ServiceRecord row = store.services().get(0);
    assertThat(row.state()).isEqualTo(JobState.PENDING);
    assertThat(row.jobId()).isEmpty();
    assertThat(row.endedAt()).isEmpty();
    assertThat(row.reason()).isEqualTo("submit outcome unknown: the connection to alice@login was lost while"
        + " running sbatch; it may or may not have finished");

    // sbatch had accepted it: the next refresh finds the job by its identity and keeps its ID.
    scheduler.findable.put(row.serviceId(), new SubmittedJob(row.serviceId(), "4242", row.serviceDir()));
    assertThat(servers.refresh()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(JobState.RUNNING));
    assertThat(store.service(row.serviceId()).orElseThrow().jobId()).isEqualTo("4242");
  }

  @Test
  void aSubmitTheBackendRefusedIsFinalWithItsWords() {
    ServersModule servers = servers();
    scheduler.failSubmitsWith(new SubmitRefusedException("sbatch refused sleeper: Invalid account"));
    String session = store.newSession("r.yaml", NOW);

    assertThatThrownBy(() -> servers.startService(sleeper(), session, "r.yaml", false))
        .isInstanceOf(SubmitRefusedException.class);

    ServiceRecord row = store.services().get(0);
    assertThat(row.state()).isEqualTo(JobState.FAILED);
    assertThat(row.endedAt()).contains(NOW);
    assertThat(row.reason()).isEqualTo("sbatch refused sleeper: Invalid account");
  }
}
