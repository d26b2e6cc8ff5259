package io.github.hpcorchestrator.cluster;

import java.util.Locale;
import java.util.Map;

/**
 * Maps SLURM job states and pending reasons (as squeue and sacct print them) to {@link JobState}
 * and to plain words.
 */
public final class SlurmStates {
  private SlurmStates() {}

  private static final Map<String, JobState> STATES = Map.ofEntries(
      Map.entry("PENDING", JobState.PENDING),
      Map.entry("CONFIGURING", JobState.PENDING),
      Map.entry("REQUEUED", JobState.PENDING),
      Map.entry("REQUEUE_HOLD", JobState.PENDING),
      Map.entry("REQUEUE_FED", JobState.PENDING),
      Map.entry("RESV_DEL_HOLD", JobState.PENDING),
      Map.entry("SUSPENDED", JobState.PENDING),
      Map.entry("STOPPED", JobState.PENDING),
      Map.entry("RESIZING", JobState.RUNNING),
      Map.entry("RUNNING", JobState.RUNNING),
      Map.entry("COMPLETING", JobState.RUNNING),
      Map.entry("SIGNALING", JobState.RUNNING),
      Map.entry("STAGE_OUT", JobState.RUNNING),
      Map.entry("COMPLETED", JobState.COMPLETED),
      Map.entry("FAILED", JobState.FAILED),
      Map.entry("TIMEOUT", JobState.FAILED),
      Map.entry("NODE_FAIL", JobState.FAILED),
      Map.entry("PREEMPTED", JobState.FAILED),
      Map.entry("OUT_OF_MEMORY", JobState.FAILED),
      Map.entry("BOOT_FAIL", JobState.FAILED),
      Map.entry("DEADLINE", JobState.FAILED),
      Map.entry("SPECIAL_EXIT", JobState.FAILED),
      Map.entry("CANCELLED", JobState.CANCELLED),
      Map.entry("REVOKED", JobState.UNKNOWN));

  /** Words for states whose name alone does not say what happened. */
  private static final Map<String, String> STATE_WORDS = Map.ofEntries(
      Map.entry("CONFIGURING", "its nodes are booting"),
      Map.entry("REQUEUED", "requeued, waiting to run again"),
      Map.entry("REQUEUE_HOLD", "requeued and held"),
      Map.entry("SUSPENDED", "suspended by SLURM"),
      Map.entry("STOPPED", "stopped (SIGSTOP)"),
      Map.entry("COMPLETING", "ending"),
      Map.entry("TIMEOUT", "reached its time limit"),
      Map.entry("NODE_FAIL", "its node failed"),
      Map.entry("PREEMPTED", "preempted by a higher-priority job"),
      Map.entry("OUT_OF_MEMORY", "ran out of memory"),
      Map.entry("BOOT_FAIL", "its node failed to boot"),
      Map.entry("DEADLINE", "missed its deadline"),
      Map.entry("CANCELLED", "cancelled outside the orchestrator (scancel)"));

  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("Resources", "waiting for free resources"),
      Map.entry("Priority", "waiting behind jobs with higher priority"),
      Map.entry("QOSMaxJobsPerUserLimit", "waiting: the QOS allows no more running jobs for this user"),
      Map.entry("QOSMaxSubmitJobPerUserLimit", "waiting: the QOS allows no more jobs for this user"),
      Map.entry("QOSMaxCpuPerUserLimit", "waiting: the QOS allows no more CPUs for this user"),
      Map.entry("QOSMaxWallDurationPerJobLimit", "will not start: the time limit exceeds the QOS maximum"),
      Map.entry("ReqNodeNotAvail", "waiting: a requested node is not available (down, drained or reserved)"),
      Map.entry("AssocGrpCpuLimit", "waiting: the account's CPU limit is reached"),
      Map.entry("AssocGrpMemLimit", "waiting: the account's memory limit is reached"),
      Map.entry("AssocGrpJobsLimit", "waiting: the account's running-job limit is reached"),
      Map.entry("AssocMaxJobsLimit", "waiting: the account's job limit is reached"),
      Map.entry("BeginTime", "waiting for its start time"),
      Map.entry("Dependency", "waiting for a job it depends on"),
      Map.entry("DependencyNeverSatisfied", "will not start: a job it depends on failed"),
      Map.entry("JobHeldUser", "held by the user (scontrol release to start it)"),
      Map.entry("JobHeldAdmin", "held by an administrator"),
      Map.entry("PartitionTimeLimit", "will not start: the time limit exceeds the partition's maximum"),
      Map.entry("PartitionNodeLimit", "will not start: more nodes than the partition allows"),
      Map.entry("PartitionDown", "waiting: the partition is down"),
      Map.entry("PartitionInactive", "waiting: the partition is inactive"),
      Map.entry("NodeDown", "waiting: a node it needs is down"),
      Map.entry("BadConstraints", "will not start: the constraints cannot be satisfied"),
      Map.entry("Reservation", "waiting for its reservation to start"),
      Map.entry("Licenses", "waiting for a license"),
      Map.entry("InvalidAccount", "will not start: invalid account"),
      Map.entry("InvalidQOS", "will not start: invalid QOS"),
      Map.entry("Prolog", "running the node prolog"),
      Map.entry("Cleaning", "waiting while a previous run is cleaned up"),
      Map.entry("launch failed requeued held", "launch failed; requeued and held"));

  /** The job state for a SLURM state name ("CANCELLED by 0" counts as CANCELLED). */
  public static JobState state(String slurmState) {
    JobState state = STATES.get(baseState(slurmState));
    return state == null ? JobState.UNKNOWN : state;
  }

  /** The state name without sacct's trailing " by UID" and squeue's "+" suffixes. */
  public static String baseState(String slurmState) {
    String s = slurmState == null ? "" : slurmState.trim().toUpperCase(Locale.ROOT);
    int space = s.indexOf(' ');
    if (space >= 0) {
      s = s.substring(0, space);
    }
    return s.endsWith("+") ? s.substring(0, s.length() - 1) : s;
  }

  /** Plain words for a state, or empty when the state says it all (RUNNING, COMPLETED...). */
  public static String stateWords(String slurmState) {
    String base = baseState(slurmState);
    String words = STATE_WORDS.get(base);
    if (words != null) {
      return words;
    }
    return STATES.containsKey(base) ? "" : "SLURM state " + base;
  }

  /** Plain words for a pending reason as squeue's %r prints it; empty for "None". */
  public static String reasonWords(String reason) {
    String r = reason == null ? "" : reason.trim();
    if (r.isEmpty() || r.equals("None") || r.equals("(null)")) {
      return "";
    }
    String words = REASONS.get(r);
    if (words != null) {
      return words;
    }
    // ReqNodeNotAvail often carries a node list: "ReqNodeNotAvail, UnavailableNodes:node3".
    for (Map.Entry<String, String> known : REASONS.entrySet()) {
      if (r.startsWith(known.getKey() + ",") || r.startsWith(known.getKey() + " ")) {
        return known.getValue() + " (" + r + ")";
      }
    }
    if (r.startsWith("QOS")) {
      return "waiting: a QOS limit is reached (" + r + ")";
    }
    if (r.startsWith("Assoc")) {
      return "waiting: an account limit is reached (" + r + ")";
    }
    return "waiting (SLURM reason: " + r + ")";
  }
}
