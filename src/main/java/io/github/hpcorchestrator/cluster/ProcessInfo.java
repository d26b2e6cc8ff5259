package io.github.hpcorchestrator.cluster;

import java.util.List;

/**
 * One process as /proc shows it, enough to tell it apart from a later process given the same ID.
 *
 * @param pid its process ID
 * @param state the state letter of /proc/PID/stat ("S", "R", "Z" for a zombie...)
 * @param startTime when it started, in clock ticks after boot (field 22 of /proc/PID/stat); it does
 *     not change across exec, and a process that reuses the ID starts later
 * @param argv its command line (empty for a zombie or a kernel thread)
 */
public record ProcessInfo(long pid, String state, long startTime, List<String> argv) {
  public ProcessInfo {
    argv = List.copyOf(argv);
  }

  /** Whether it has exited and only waits to be reaped. */
  public boolean zombie() {
    return state.equals("Z") || state.equals("X");
  }
}
