package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.transport.Shell;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A service's (or monitor's) output, read from its service folder over the backend's one
 * connection. Jobs write the service's stdout and stderr to one file (service.log locally,
 * slurm-JOBID.out on SLURM) and each sidecar's to sidecar-NAME.log beside it.
 */
public final class ServiceLogs {
  /** The most lines a tail may ask for. */
  public static final int MAX_TAIL_LINES = 100_000;
  // Job state is a scheduler poll (squeue on SLURM): asked less often than the file.
  private static final int STATE_EVERY_POLLS = 4;

  private final ServersModule servers;
  private final LogReader reader;
  private final Function<SubmittedJob, String> logFile;
  private final Duration interval;

  /**
   * @param servers resolves IDs and observes job states
   * @param shell reaches the service folders
   * @param logFile where a job's own output goes, by backend
   * @param interval how often a follow looks for new output
   */
  public ServiceLogs(ServersModule servers, Shell shell, Function<SubmittedJob, String> logFile, Duration interval) {
    this.servers = servers;
    this.reader = new LogReader(shell);
    this.logFile = logFile;
    this.interval = interval;
  }

  /**
   * Which log of a service: its job's output, or one sidecar's.
   *
   * @param serviceId the full ID
   * @param path the file on the shell's side
   * @param node where the job ran (empty if it never started)
   */
  public record Location(String serviceId, String path, String node) {}

  /** Where the log of {@code typedId} is (or was); {@code sidecar} names a sidecar's log instead. */
  public Location locate(String typedId, Optional<String> sidecar) {
    ServiceStatus status = servers.checkServiceStatus(typedId);
    SubmittedJob job = status.record().job();
    if (job.jobId().isEmpty() || job.serviceDir().isEmpty()) {
      throw new OperationFailedException("service " + status.serviceId() + " has no job, so no log: it is "
          + status.state());
    }
    String path = logFile.apply(job);
    if (sidecar.isPresent()) {
      if (!sidecar.get().matches("[a-z][a-z0-9_-]{0,31}")) {
        throw new InputException("--sidecar: expected a sidecar name such as probe, found '" + sidecar.get() + "'");
      }
      path = job.serviceDir() + "/sidecar-" + sidecar.get() + ".log";
    }
    return new Location(status.serviceId(), path, status.record().node());
  }

  /**
   * Sends the last {@code lines} lines of the log to {@code sink}; with {@code follow}, then what
   * the job writes, as it writes it, until the job has ended and the file stopped growing.
   */
  public void show(Location where, int lines, boolean follow, Consumer<String> sink) {
    if (lines < 0 || lines > MAX_TAIL_LINES) {
      throw new InputException("--tail: expected 0-" + MAX_TAIL_LINES + " lines, found " + lines);
    }
    JobState state = servers.checkServiceStatus(where.serviceId()).state();
    boolean finalNow = state.isFinal();
    Optional<LogReader.Chunk> first = reader.tail(where.path(), lines);
    // Only a job that has not started yet may still write its log: follow waits for that one.
    if (first.isEmpty() && (state != JobState.PENDING || !follow)) {
      throw missing(where, state);
    }
    first.ifPresent(c -> sink.accept(c.text()));
    if (!follow) {
      return;
    }
    long offset = first.map(LogReader.Chunk::next).orElse(0L);
    boolean ended = finalNow;
    for (int poll = 1; ; poll++) {
      // Read until nothing is new: a burst larger than one read arrives without waiting.
      Optional<LogReader.Chunk> chunk;
      boolean grew = false;
      while ((chunk = reader.read(where.path(), offset)).isPresent() && chunk.get().size() != offset) {
        if (chunk.get().size() < offset) {
          sink.accept("[log truncated; reading it from its start]\n");
          offset = 0;
          continue;
        }
        sink.accept(chunk.get().text());
        offset = chunk.get().next();
        grew = true;
      }
      if (ended && chunk.isEmpty() && offset == 0) {
        throw missing(where, JobState.COMPLETED); // it ended without ever writing a log, or its folder went
      }
      if (ended && !grew) {
        return; // final, and the last look after that found nothing new
      }
      sleep();
      if (!ended && poll % STATE_EVERY_POLLS == 0) {
        ended = isFinal(where);
      }
    }
  }

  private boolean isFinal(Location where) {
    return servers.checkServiceStatus(where.serviceId()).state().isFinal();
  }

  private static OperationFailedException missing(Location where, JobState state) {
    String on = where.node().isEmpty() ? "" : " (written on node " + where.node() + ")";
    if (state == JobState.PENDING) {
      return new OperationFailedException("service " + where.serviceId() + " has written no log yet ("
          + where.path() + "): its job has not started; --follow waits for it");
    }
    if (!state.isFinal()) {
      return new OperationFailedException("service " + where.serviceId() + " is " + state + " and has no log at "
          + where.path() + on + "; a sidecar's log is there only for a sidecar its recipe runs");
    }
    return new OperationFailedException("the log of " + where.serviceId() + " was " + where.path() + on
        + "; it is gone (its folder was removed, or the node that kept it is unreachable)");
  }

  private void sleep() {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while following the log", e);
    }
  }
}
