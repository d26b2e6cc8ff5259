package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.Scheduler;
import io.github.hpcorchestrator.cluster.SubmittedJob;
import io.github.hpcorchestrator.state.Observation;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.transport.Shell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins what state remembers with the jobs the scheduler runs. A service is recorded before its
 * job is submitted, so a start cut off in between (Ctrl-C, SIGKILL, a held state lock) leaves a
 * row without a job ID; its job is found by the identity it carries (service ID and folder) and
 * adopted. A row whose job is not found once a submit would have finished is settled as ended.
 */
final class OrphanJobs {
  /** How long a row may stay without a job ID: longer than one sbatch may take, with a margin. */
  static final Duration SUBMIT_GRACE = Shell.SHORT_TIMEOUT.plus(Duration.ofSeconds(60));

  /**
   * @param records every service to observe, by ID: state's rows (adopted where a job was found)
   *     and jobs state does not know
   * @param settled rows without a job that are now known to have ended; the caller stores them
   */
  record Merged(Map<String, ServiceRecord> records, List<ServiceRecord> settled) {}

  private final Scheduler scheduler;
  private final Clock clock;

  OrphanJobs(Scheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  Merged merge(List<ServiceRecord> stored, List<SubmittedJob> discovered) {
    Map<String, ServiceRecord> records = new LinkedHashMap<>();
    stored.forEach(r -> records.put(r.serviceId(), r));
    Map<String, SubmittedJob> running = new LinkedHashMap<>();
    discovered.forEach(j -> running.put(j.serviceId(), j));
    for (SubmittedJob job : discovered) {
      if (!records.containsKey(job.serviceId())) {
        records.put(job.serviceId(), new ServiceRecord(job.serviceId(), ServiceId.namePart(job.serviceId()),
            "discovered", scheduler.name(), job.jobId(), job.serviceDir(), 0, JobState.PENDING, "", "", 0,
            Optional.empty(), clock.instant(), Optional.empty(), Optional.empty(), ""));
      }
    }
    List<ServiceRecord> settled = new ArrayList<>();
    for (ServiceRecord r : List.copyOf(records.values())) {
      // Another backend's row (a config sharing state_dir) is not this scheduler's to find or settle.
      if (r.state().isFinal() || !r.jobId().isEmpty() || !r.backend().equals(scheduler.name())) {
        continue;
      }
      Optional<SubmittedJob> job = Optional.ofNullable(running.get(r.serviceId()))
          .or(() -> scheduler.find(r.serviceId()));
      if (job.isPresent()) {
        records.put(r.serviceId(), adopted(r, job.get()));
      } else if (clock.instant().isAfter(r.submittedAt().plus(SUBMIT_GRACE))) {
        ServiceRecord ended = with(r, "", JobState.UNKNOWN, Optional.of(clock.instant()),
            "no job was found for it: never submitted, or its start was cut off before the job ID was recorded");
        records.put(r.serviceId(), ended);
        settled.add(ended);
      } else {
        // A submit whose outcome is unknown keeps saying so until its job is found or it is settled.
        records.put(r.serviceId(), with(r, "", r.state(), r.endedAt(),
            r.reason().isEmpty() ? "being submitted (no job ID recorded yet)" : r.reason()));
      }
    }
    return new Merged(records, settled);
  }

  private ServiceRecord adopted(ServiceRecord r, SubmittedJob job) {
    return with(r, job.jobId(), r.state(), r.endedAt(), r.reason());
  }

  /** {@code r} with its folder always set (rows of older versions had none before the job ID). */
  private ServiceRecord with(ServiceRecord r, String jobId, JobState state, Optional<Instant> endedAt, String reason) {
    String dir = r.serviceDir().isEmpty() ? scheduler.folderOf(r.serviceId()) : r.serviceDir();
    Observation o = r.observation();
    return r.submitted(new SubmittedJob(r.serviceId(), jobId, dir)).observed(new Observation(state, o.node(), o.host(),
        o.port(), o.exitCode(), o.startedAt(), endedAt, reason));
  }
}
