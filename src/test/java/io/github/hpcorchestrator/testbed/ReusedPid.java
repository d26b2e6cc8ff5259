package io.github.hpcorchestrator.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the kernel hand a freed process ID to an unrelated program, as it does by chance once a
 * job died by SIGKILL: the kernel's last handed-out ID (/proc/sys/kernel/ns_last_pid, root only)
 * is set to one below it, and the next fork gets it. The program is a {@code sleep} that leads a
 * process group of its own, like the job whose ID it takes.
 */
public final class ReusedPid {
  private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");
  private static final int TRIES = 100;

  private ReusedPid() {}

  /** Whether this machine lets a test choose the next process ID. */
  public static boolean possible() {
    return Files.isWritable(NS_LAST_PID);
  }

  /**
   * Starts {@code sleep 300} as the leader of a new process group with process ID {@code pid},
   * which must be free. Other processes of the machine may fork in between and take the ID: each
   * miss is killed and tried again, at most {@value #TRIES} times.
   *
   * @return the process, which the caller must kill
   */
  public static ProcessHandle start(long pid) throws IOException, InterruptedException {
    String last = "";
    for (int attempt = 0; attempt < TRIES; attempt++) {
      // bash forks the background job right after the write; setsid in a process that leads no
      // group makes it a leader without forking again, and exec keeps the ID.
      Process p = new ProcessBuilder("bash", "-c",
          "echo \"$1\" > /proc/sys/kernel/ns_last_pid || exit 1; setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!",
          "bash", Long.toString(pid - 1)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      if (p.isAlive() || p.exitValue() != 0 || !out.matches("\\d{1,10}")) {
        // A busy machine may fail an attempt; it counts as a miss.
        last = "exit " + (p.isAlive() ? "none" : p.exitValue()) + ", output '" + out + "'";
        continue;
      }
      long got = Long.parseLong(out);
      Optional<ProcessHandle> handle = ProcessHandle.of(got);
      if (got == pid && handle.isPresent()) {
        return handle.get();
      }
      handle.ifPresent(ProcessHandle::destroyForcibly);
      last = "got " + got;
    }
    throw new AssertionError("process ID " + pid + " was not handed to the test's program in " + TRIES
        + " tries (last: " + last + ")");
  }
}
