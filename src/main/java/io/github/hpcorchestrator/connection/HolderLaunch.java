package io.github.hpcorchestrator.connection;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starting a detached connection holder: its own session, its output appended to the folder's log,
 * its launcher recorded in {@link HolderFolder#starting()} so that calls starting meanwhile wait for
 * it. Uses java.base and this package's records only: the front-end starts a holder with it before
 * it has loaded the CLI ({@link LaunchRecord}).
 */
public final class HolderLaunch {
  /** The system property that tells a holder it was started from a {@link LaunchRecord}. */
  static final String FROM_RECORD = "orchestrator.holder.from-record";

  /**
   * Starts the holder in the background of a short-lived bash ($1: the holder's record, then its
   * argv), which ends as soon as the holder has recorded itself (exit 0) or with the holder's own
   * exit code if it ended first (as {@link HolderMain#LOST_THE_LOCK}). The holder is not this JVM's
   * child: a JVM whose child still runs waits some 300 ms at exit for the thread that waits on it.
   * The wait is bounded (1500 rounds of 20 ms); after it the holder's record alone tells. The
   * subshell gives back SIGINT and SIGQUIT, which a shell ignores for a background command.
   */
  private static final String LAUNCH = "f=$1; shift; ( trap - INT QUIT; exec \"$@\" ) & h=$!; n=0\n"
      + "while [ $n -lt 1500 ] && kill -0 \"$h\" 2>/dev/null; do\n"
      + "  if { IFS=' ' read -r p _ < \"$f\"; } 2>/dev/null && [ \"$p\" = \"$h\" ]; then exit 0; fi\n"
      + "  n=$((n + 1)); sleep 0.02\n"
      + "done\n"
      + "kill -0 \"$h\" 2>/dev/null && exit 0\n"
      + "wait \"$h\"\n";

  private HolderLaunch() {}

  /**
   * Starts a holder with {@code holderArgs} ({@link HolderSpec#argv}) for {@code folder}; it outlives
   * this JVM. {@code fromRecord}: started from a {@link LaunchRecord}, as its log then says.
   */
  static Process start(HolderFolder folder, List<String> holderArgs, boolean fromRecord) throws IOException {
    List<String> argv = new ArrayList<>(List.of("bash", "-c", LAUNCH, "bash", folder.process().toString()));
    // setsid: its own session and process group, so the terminal's Ctrl-C and hangup miss it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      argv.add("/usr/bin/setsid");
    }
    try {
      Files.createFile(folder.log(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // Appended to: the log of earlier holders stays.
    }
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmOptions(System.getenv("ORCHESTRATOR_HOLDER_JVM_OPTS")));
    argv.add("-D" + HolderMain.ASKED_AT + "=" + System.currentTimeMillis());
    if (fromRecord) {
      argv.add("-D" + FROM_RECORD + "=true");
    }
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), HolderMain.class.getName()));
    argv.addAll(holderArgs);
    Process launcher = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.log().toFile()))
        .redirectErrorStream(true)
        .start();
    Optional<HolderProcess> record = HolderProcess.of(launcher.pid());
    try {
      if (record.isPresent()) {
        record.get().write(folder.starting());
      }
    } catch (OperationFailedException e) {
      // Only a hint for calls starting at the same time; without it one may start a holder that loses the lock.
    }
    return launcher;
  }

  /**
   * The JVM options ./orchestrator started this call with (one per line in {@code listed}; null:
   * none), for a holder that starts as fast: its class-data archive, GC, JIT and SQLite library;
   * only -X and -D options are taken.
   */
  static List<String> jvmOptions(String listed) {
    List<String> options = new ArrayList<>();
    if (listed != null) {
      for (String line : listed.split("\n")) {
        if (line.startsWith("-X") || line.startsWith("-D")) {
          options.add(line);
        }
      }
    }
    return options;
  }
}
