package io.github.hpcorchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmitRefusedException;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
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
  @AutoClose
  private FakeServers fake;

  private ServersModule servers() {
    return (fake = new FakeServers(dir, "local")).servers;
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
    fake.store.newSession("r.yaml", NOW);
    ServiceRecord running = slurmRow("sleeper_0123abcd", "7", JobState.RUNNING, NOW.minusSeconds(60));
    // Long past the submit grace: a local refresh would settle it as UNKNOWN if it were its own.
    ServiceRecord submitting = slurmRow("sleeper_89abcdef", "", JobState.PENDING, NOW.minus(Duration.ofHours(1)));
    fake.store.insert(running);
    fake.store.insert(submitting);

    List<ServiceStatus> statuses = servers.refresh();

    assertThat(fake.scheduler.polled).isEmpty();
    assertThat(fake.scheduler.found).isEmpty();
    assertThat(statuses).extracting(ServiceStatus::state).containsExactlyInAnyOrder(JobState.RUNNING, JobState.PENDING);
    assertThat(fake.store.service(running.serviceId())).contains(running);
    assertThat(fake.store.service(submitting.serviceId())).contains(submitting);
  }

  @Test
  void stoppingAnotherBackendsRowIsRefusedInOneLineAndStopAllLeavesIt() {
    ServersModule servers = servers();
    fake.store.newSession("r.yaml", NOW);
    ServiceRecord running = slurmRow("sleeper_0123abcd", "7", JobState.RUNNING, NOW.minusSeconds(60));
    fake.store.insert(running);

    assertThatThrownBy(() -> servers.stopService("sleeper_0123abcd"))
        .isInstanceOf(InputException.class)
        .hasMessage("service sleeper_0123abcd runs on the slurm backend: stop it with that backend's config"
            + " (this one is local)");
    assertThat(servers.stopAllServices()).isEmpty();
    assertThat(fake.scheduler.cancelled).isEmpty();
    assertThat(fake.store.service(running.serviceId())).contains(running);
  }

  @Test
  void aSubmitWhoseOutcomeIsUnknownStaysPendingAndIsAdoptedOnceItsJobIsFound() {
    ServersModule servers = servers();
    fake.scheduler.failSubmitsWith(new OperationFailedException("the connection to alice@login was lost while running"
        + " sbatch; it may or may not have finished"));
    String session = fake.store.newSession("r.yaml", NOW);

    assertThatThrownBy(() -> servers.startService(sleeper(), session, "r.yaml", false))
        .hasMessageContaining("may or may not have finished");

    ServiceRecord row = fake.store.services().get(0);
    assertThat(row.state()).isEqualTo(JobState.PENDING);
    assertThat(row.jobId()).isEmpty();
    assertThat(row.endedAt()).isEmpty();
    assertThat(row.reason()).isEqualTo("submit outcome unknown: the connection to alice@login was lost while"
        + " running sbatch; it may or may not have finished");

    // sbatch had accepted it: the next refresh finds the job by its identity and keeps its ID.
    fake.scheduler.findable.put(row.serviceId(), new SubmittedJob(row.serviceId(), "4242", row.serviceDir()));
    assertThat(servers.refresh()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(JobState.RUNNING));
    assertThat(fake.store.service(row.serviceId()).orElseThrow().jobId()).isEqualTo("4242");
  }

  @Test
  void aSubmitTheBackendRefusedIsFinalWithItsWords() {
    ServersModule servers = servers();
    fake.scheduler.failSubmitsWith(new SubmitRefusedException("sbatch refused sleeper: Invalid account"));
    String session = fake.store.newSession("r.yaml", NOW);

    assertThatThrownBy(() -> servers.startService(sleeper(), session, "r.yaml", false))
        .isInstanceOf(SubmitRefusedException.class);

    ServiceRecord row = fake.store.services().get(0);
    assertThat(row.state()).isEqualTo(JobState.FAILED);
    assertThat(row.endedAt()).contains(NOW);
    assertThat(row.reason()).isEqualTo("sbatch refused sleeper: Invalid account");
  }
}
