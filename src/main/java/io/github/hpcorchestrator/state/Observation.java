package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.cluster.JobState;
import java.time.Instant;
import java.util.Optional;

/**
 * What was last observed of a service's job, apart from what was known at its start and what the
 * scheduler returned for it.
 *
 * @param state last observed state
 * @param node last known node
 * @param host host the service is reached at (from its connection file)
 * @param port port it really listens on (0 until known)
 * @param exitCode exit code once ended
 * @param startedAt when it started running
 * @param endedAt when it was last seen in a final state
 * @param reason why it is in its state, in plain words; empty when there is nothing to say
 */
public record Observation(JobState state, String node, String host, int port, Optional<Integer> exitCode,
    Optional<Instant> startedAt, Optional<Instant> endedAt, String reason) {

  /** Nothing observed yet: pending, on no node, reachable nowhere. */
  public static Observation pending() {
    return new Observation(JobState.PENDING, "", "", 0, Optional.empty(), Optional.empty(), Optional.empty(), "");
  }
}
