package io.github.hpcorchestrator.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells this config's service jobs apart in a squeue listing: a job is one when it is named like
 * a service ID and runs in that service's folder under this config's remote_dir. Another
 * program's job, or another config's with its own remote_dir, fails the second test even when its
 * name looks like a service ID ({@code sbatch --job-name=train_deadbeef}).
 */
final class SlurmServiceJobs {
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*_[0-9a-f]{8}");
  private static final Pattern JOB_ID = Pattern.compile("\\d{1,12}");

  private final String remoteDir;

  /** @param remoteDir the orchestrator's folder on the cluster, expanded, without a trailing slash */
  SlurmServiceJobs(String remoteDir) {
    this.remoteDir = remoteDir;
  }

  /** The folder of one service on the cluster; sbatch runs its job there (--chdir). */
  String serviceDir(String serviceId) {
    return remoteDir + "/services/" + serviceId;
  }

  /** Whether a queued job is a service job of this config. */
  boolean ours(SqueueParser.Row row) {
    String name = row.name().strip();
    String workDir = row.workDir().strip();
    if (workDir.length() > 1 && workDir.endsWith("/")) {
      workDir = workDir.substring(0, workDir.length() - 1);
    }
    return SERVICE_ID.matcher(name).matches() && JOB_ID.matcher(row.jobId()).matches()
        && workDir.equals(serviceDir(name));
  }

  /** This config's jobs in {@code rows} that have not ended. */
  List<SubmittedJob> running(List<SqueueParser.Row> rows) {
    return rows.stream().filter(r -> ours(r) && !SlurmStates.state(r.state()).isFinal())
        .map(r -> new SubmittedJob(r.name().strip(), r.jobId(), serviceDir(r.name().strip()))).toList();
  }

  /**
   * The job of {@code serviceId} in {@code rows}, ended or not. The latest wins: a service ID is
   * drawn once, so an earlier job of it can only be a leftover.
   */
  Optional<SubmittedJob> find(List<SqueueParser.Row> rows, String serviceId) {
    return rows.stream().filter(r -> ours(r) && r.name().strip().equals(serviceId))
        .max(Comparator.comparingLong(r -> Long.parseLong(r.jobId())))
        .map(r -> new SubmittedJob(serviceId, r.jobId(), serviceDir(serviceId)));
  }
}
