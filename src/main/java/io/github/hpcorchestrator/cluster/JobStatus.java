package io.github.hpcorchestrator.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a scheduler observed of one job at one moment.
 *
 * @param state the job state
 * @param reason why it is in that state, in plain words (empty if nothing to say)
 * @param exitCode the service's exit code once it ended, if known
 * @param nodes the nodes it runs or ran on
 * @param startedAt when it started running, if known
 * @param logTail the last lines of its log when it FAILED, otherwise empty
 */
public record JobStatus(
    JobState state,
    String reason,
    Optional<Integer> exitCode,
    List<String> nodes,
    Optional<Instant> startedAt,
    List<String> logTail) {

  public JobStatus {
    nodes = List.copyOf(nodes);
    logTail = List.copyOf(logTail);
  }

  /** A status with only a state and a reason. */
  public static JobStatus of(JobState state, String reason) {
    return new JobStatus(state, reason, Optional.empty(), List.of(), Optional.empty(), List.of());
  }
}
