package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmitRefusedException;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.state.Observation;
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
    return pending.submitted(new SubmittedJob(pending.serviceId(), "", pending.serviceDir())).observed(refused
        ? new Observation(JobState.FAILED, "", "", 0, Optional.empty(), Optional.empty(), Optional.of(at), words)
        : new Observation(JobState.PENDING, "", "", 0, Optional.empty(), Optional.empty(), Optional.empty(),
            "submit outcome unknown: " + words));
  }
}
