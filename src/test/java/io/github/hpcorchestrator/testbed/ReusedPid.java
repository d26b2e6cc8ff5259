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

  private ReusedPid() {}

  /** Whether this machine lets a test choose the next process ID. */
  public static boolean possible() {
    return Files.isWritable(NS_LAST_PID);
  }

  /**
   * Starts {@code sleep 300} as the leader of a new process group with process ID {@code pid},
   * which must be free. Other processes and threads of the machine may fork in between and take
   * the ID: each miss is killed and tried again while the ID is free, for at most 30 s. The loop
   * runs in one bash, so no thread of this JVM is made between setting the ID and the fork.
   *
   * @return the process, which the caller must kill
   */
  public static ProcessHandle start(long pid) throws IOException, InterruptedException {
    // setsid in a process that leads no group makes it a leader without forking again, and exec
    // keeps the ID. A taken ID (a process, or a thread, which has /proc/ID too) is waited out.
    String loop = String.join("\n",
        "n=$1; end=$(( SECONDS + 30 ))",
        "while (( SECONDS < end )); do",
        "  if [ -e \"/proc/$n\" ]; then sleep 0.05; continue; fi",
        "  echo $(( n - 1 )) > /proc/sys/kernel/ns_last_pid || exit 1",
        "  setsid sleep 300 </dev/null >/dev/null 2>&1 &",
        "  got=$!",
        "  if [ \"$got\" = \"$n\" ]; then",
        // The child runs setsid after the fork: answer once it leads its own group, as the job did.
        "    for (( i = 0; i < 500; i++ )); do",
        "      read -r st < \"/proc/$got/stat\" || break; st=${st##*) }; read -r -a f <<< \"$st\"",
        "      if [ \"${f[2]}\" = \"$got\" ]; then echo \"$got\"; exit 0; fi",
        "      sleep 0.01",
        "    done",
        "    kill -KILL \"$got\"; echo \"process $got did not become the leader of its own group\"; exit 1",
        "  fi",
        "  kill -KILL \"$got\" 2>/dev/null; wait \"$got\" 2>/dev/null",
        "done",
        "echo \"process ID $n was not handed to the test's program within 30 s\"; exit 1");
    Process p = new ProcessBuilder("bash", "-c", loop, "bash", Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("choosing process ID " + pid + " did not end: " + out);
    }
    Optional<ProcessHandle> handle = out.equals(Long.toString(pid)) ? ProcessHandle.of(pid) : Optional.empty();
    return handle.orElseThrow(() -> new AssertionError("could not start a program with process ID " + pid
        + " (exit " + p.exitValue() + "): " + out));
  }
}
