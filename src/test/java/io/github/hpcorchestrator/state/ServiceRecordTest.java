package io.github.hpcorchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What was known at start, the job the scheduler returned and the last observation change apart. */
class ServiceRecordTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private final ServiceRecord pending = new ServiceRecord("sleeper_0123abcd", "sleeper", "session_1", "slurm", "",
      "/srv/sleeper_0123abcd", 8080, JobState.PENDING, "", "", 0, Optional.empty(), AT, Optional.empty(),
      Optional.empty(), "r.yaml");

  @Test
  void aSubmittedJobKeepsWhatWasKnownAtStartAndWhatWasObserved() {
    ServiceRecord submitted = pending.submitted(new SubmittedJob("sleeper_0123abcd", "42", "/scratch/sleeper_0123abcd"));

    assertThat(submitted.jobId()).isEqualTo("42");
    assertThat(submitted.serviceDir()).isEqualTo("/scratch/sleeper_0123abcd");
    assertThat(submitted.observation()).isEqualTo(pending.observation()).isEqualTo(Observation.pending());
    assertThat(submitted.submittedAt()).isEqualTo(AT);
    assertThat(submitted.requestedPort()).isEqualTo(8080);
  }

  @Test
  void anObservationReplacesOnlyWhatWasObserved() {
    Observation running = new Observation(JobState.RUNNING, "cn1", "cn1", 8081, Optional.empty(),
        Optional.of(AT.plusSeconds(3)), Optional.empty(), "");
    ServiceRecord observed = pending.submitted(new SubmittedJob("sleeper_0123abcd", "42", "/srv/sleeper_0123abcd"))
        .observed(running);

    assertThat(observed.observation()).isEqualTo(running);
    assertThat(observed.jobId()).isEqualTo("42");
    assertThat(observed.ended(JobState.CANCELLED, AT.plusSeconds(9), "stopped")).satisfies(r -> {
      assertThat(r.state()).isEqualTo(JobState.CANCELLED);
      assertThat(r.endedAt()).contains(AT.plusSeconds(9));
      assertThat(r.reason()).isEqualTo("stopped");
      assertThat(r.port()).isEqualTo(8081);
      assertThat(r.startedAt()).isEqualTo(running.startedAt());
    });
  }
}
