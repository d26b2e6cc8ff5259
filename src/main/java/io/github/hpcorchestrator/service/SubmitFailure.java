package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmitRefusedException;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.time.Instant;
import java.util.Optional;

/** What state keeps of a service whose submit failed: final only when the backend surely started nothing. */
final class SubmitFailure {
  private SubmitFailure() {}

  /**
   * {@code pending} after {@code failure}: FAILED with the backend's words when it refused the job,
   * otherwise still PENDING without a job ID, for {@link OrphanJobs} to adopt or settle (sbatch may
   * have accepted it before the connection dropped or the call timed out).
   */
  static ServiceRecord record(ServiceRecord pending, RuntimeException failure, Instant at) {
    String words = String.valueOf(failure.getMessage());
    boolean refused = failure instanceof SubmitRefusedException;
    return new ServiceRecord(pending.serviceId(), pending.name(), pending.sessionId(), pending.backend(), "",
        pending.serviceDir(), pending.requestedPort(), refused ? JobState.FAILED : JobState.PENDING, "", "", 0,
        Optional.empty(), pending.submittedAt(), Optional.empty(), refused ? Optional.of(at) : Optional.empty(),
        pending.recipe(), refused ? words : "submit outcome unknown: " + words);
  }
}
