package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import java.time.Instant;
import java.util.Optional;

/**
 * What local state remembers of one service: a cache of the cluster's truth plus its history.
 *
 * @param serviceId {@code <name>_<8 hex>}
 * @param name the recipe's service name (selects the kind)
 * @param sessionId the session that started it, e.g. "session_3"
 * @param backend "local" or "slurm"
 * @param jobId scheduler job ID; empty until submitted
 * @param serviceDir the service's folder on the side where it runs
 * @param requestedPort the port the recipe asked for (0 if none)
 * @param state last observed state
 * @param node last known node
 * @param host host the service is reached at (from its connection file)
 * @param port port it really listens on (0 until known)
 * @param exitCode exit code once ended
 * @param submittedAt when it was submitted
 * @param startedAt when it started running
 * @param endedAt when it was last seen in a final state
 * @param recipe path of the recipe it came from
 * @param reason why it is in its state, in plain words, as last observed (how a job ended: "exited
 *     with code 3", "hit its time limit"); empty when there is nothing to say
 */
public record ServiceRecord(
    String serviceId,
    String name,
    String sessionId,
    String backend,
    String jobId,
    String serviceDir,
    int requestedPort,
    JobState state,
    String node,
    String host,
    int port,
    Optional<Integer> exitCode,
    Instant submittedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    String recipe,
    String reason) {

  /** A record with nothing to say about why it is in its state. */
  public ServiceRecord(String serviceId, String name, String sessionId, String backend, String jobId,
      String serviceDir, int requestedPort, JobState state, String node, String host, int port,
      Optional<Integer> exitCode, Instant submittedAt, Optional<Instant> startedAt, Optional<Instant> endedAt,
      String recipe) {
    this(serviceId, name, sessionId, backend, jobId, serviceDir, requestedPort, state, node, host, port, exitCode,
        submittedAt, startedAt, endedAt, recipe, "");
  }

  /** The same service, ended in {@code state} at {@code at} for {@code why}. */
  public ServiceRecord ended(JobState state, Instant at, String why) {
    Observation o = observation();
    return observed(new Observation(state, o.node(), o.host(), o.port(), o.exitCode(), o.startedAt(), Optional.of(at),
        why));
  }

  /** What was last observed of it. */
  public Observation observation() {
    return new Observation(state, node, host, port, exitCode, startedAt, endedAt, reason);
  }

  /** The same service, last observed as {@code o}; what was known at its start and its job are kept. */
  public ServiceRecord observed(Observation o) {
    return new ServiceRecord(serviceId, name, sessionId, backend, jobId, serviceDir, requestedPort, o.state(), o.node(),
        o.host(), o.port(), o.exitCode(), submittedAt, o.startedAt(), o.endedAt(), recipe, o.reason());
  }

  /** The same service with the job the scheduler returned for it (its ID and folder). */
  public ServiceRecord submitted(SubmittedJob job) {
    return new ServiceRecord(serviceId, name, sessionId, backend, job.jobId(), job.serviceDir(), requestedPort, state,
        node, host, port, exitCode, submittedAt, startedAt, endedAt, recipe, reason);
  }

  /** Whether this service is a Prometheus monitor. */
  public boolean isMonitor() {
    return name.equals("prometheus");
  }

  /** The scheduler's handle for it. */
  public SubmittedJob job() {
    return new SubmittedJob(serviceId, jobId, serviceDir);
  }
}
