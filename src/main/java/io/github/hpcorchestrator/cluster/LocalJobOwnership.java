package io.github.hpcorchestrator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells whether a local process group is still the job the orchestrator started in a service
 * folder, or a later program that the kernel gave the same ID after the job died without a trace
 * (SIGKILL, the OOM killer). Only a group that passes may be signalled.
 */
final class LocalJobOwnership {
  /** The file in which the job script records its own start time, next to job.pid. */
  static final String START_FILE = "job.start";
  static final String SCRIPT = "job.sh";

  private final ProcessTable processes;

  LocalJobOwnership(ProcessTable processes) {
    this.processes = processes;
  }

  /**
   * Whether group {@code pgid}, if it has members, is the job of {@code dir}: its leader is gone
   * (the kernel never hands out an ID that still names a process group, so the members are the
   * job's), or its leader runs the folder's job script and started when the script recorded.
   */
  boolean ours(long pgid, Path dir) {
    Optional<ProcessInfo> leader = processes.process(pgid);
    if (leader.isEmpty() || leader.get().zombie()) {
      return true;
    }
    if (!leader.get().argv().contains(dir.resolve(SCRIPT).toString())) {
      return false;
    }
    // Jobs started before the script recorded its start time are known by their command line alone.
    return recordedStart(dir).map(start -> start == leader.get().startTime()).orElse(true);
  }

  private static Optional<Long> recordedStart(Path dir) {
    try {
      String text = Files.readString(dir.resolve(START_FILE)).strip();
      return text.matches("\\d{1,19}") ? Optional.of(Long.parseLong(text)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
