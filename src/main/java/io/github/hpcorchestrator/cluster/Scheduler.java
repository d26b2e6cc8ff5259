package io.github.hpcorchestrator.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs services as jobs and observes them. Callers never know which backend they talk to.
 */
public interface Scheduler {

  /** Backend name as written in the config: "local" or "slurm". */
  String name();

  /**
   * The folder this scheduler keeps service folders under, on the side where jobs run (local: the
   * services folder; SLURM: the expanded remote folder). A sidecar rebuilds its scheduler from it.
   */
  String rootDir();

  /** The folder a job of {@code serviceId} runs in, as its {@link SubmittedJob#serviceDir()} says it. */
  String folderOf(String serviceId);

  /**
   * The job that runs or ran for {@code serviceId} in its folder under {@link #rootDir}, found by
   * the identity the job carries rather than by a job ID: for a service whose start was cut off
   * between submit and record. Empty when no such job is known (never submitted, or forgotten).
   */
  Optional<SubmittedJob> find(String serviceId);

  /** The job script {@link #submit} would run, for a dry run. */
  String renderScript(JobSpec spec);

  /**
   * Starts the job and returns as soon as the backend accepted it.
   *
   * @throws SubmitRefusedException when certainly nothing was started; any other failure may have started it
   */
  SubmittedJob submit(JobSpec spec);

  /** Observes all given jobs with as few backend calls as possible (one per call on SLURM). */
  Map<String, JobStatus> poll(Collection<SubmittedJob> jobs);

  /** Stops the job and returns once the backend confirms it is gone. */
  void cancel(SubmittedJob job);

  /** Jobs this backend runs for the orchestrator, whether or not local state knows them. */
  List<SubmittedJob> discover();

  /**
   * Like {@link #discover}, but never answered from a listing an earlier call fetched: for a loop
   * that must see each new job in the round right after it appears.
   */
  default List<SubmittedJob> discoverFresh() {
    return discover();
  }

  /** The connection file the job wrote once its service started, if any. */
  Optional<Connection> connection(SubmittedJob job);

  /** The last {@code lines} lines of the job's log. */
  List<String> logTail(SubmittedJob job, int lines);
}
