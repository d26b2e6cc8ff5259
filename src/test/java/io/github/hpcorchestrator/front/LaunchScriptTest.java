package io.github.hpcorchestrator.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.testbed.Await;
import io.github.hpcorchestrator.testbed.ProcessOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./orchestrator's launcher (src/sh/launch.sh) with a stand-in for the JVM, a bash script that
 * takes the arguments a JVM would and does what Detach does: the exit code it hands over is the
 * launcher's at once while it goes on, the exit status of one that hands none is, a TERM sent to
 * the launcher reaches it, and a reader of the launcher's output sees its end once the stand-in
 * let go of it.
 */
class LaunchScriptTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String STAND_IN = String.join("\n",
      "#!/usr/bin/env bash",
      "fd=${1#-Dorchestrator.exit-fd=}; mode=$4; dir=$5",
      "printf '%s\\n' \"$@\" > \"$dir/args\"; echo $$ > \"$dir/pid\"",
      "case $mode in",
      "  hand) echo the-answer; exec 1>/dev/null 2>&1 </dev/null; echo 5 >&\"$fd\"; sleep 30 ;;",
      "  exit) echo the-answer; exit 7 ;;",
      // (The pipe closed first, as a JVM's children never get it: its sleep would hold it open.)
      "  term) eval \"exec $fd>&-\"; trap 'echo got-term > \"$dir/term\"; exit 143' TERM; touch \"$dir/ready\";"
          + " sleep 30 & wait ;;",
      "esac",
      "");
  @TempDir
  Path dir;

  @BeforeEach
  void standIn() throws IOException {
    Path script = dir.resolve("stand-in");
    Files.writeString(script, STAND_IN);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
  }

  @AfterEach
  void endStandIns() throws IOException {
    if (Files.exists(dir.resolve("pid"))) {
      long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
      ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Process launch(String mode) throws IOException {
    Path launcher = Path.of("src/sh/launch.sh").toAbsolutePath();
    return new ProcessBuilder("bash", "-c", "source \"$0\" && orchestrator_run 1764806400.123456 \"$@\"",
        launcher.toString(), dir.resolve("stand-in").toString(), "-jar", mode, dir.toString())
        .redirectErrorStream(true).start();
  }

  private boolean standInRuns() throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aHandedOverCodeIsTheLaunchersAtOnceAndTheOutputEndsWhileTheJvmGoesOn() throws Exception {
    Process p = launch("hand");

    String out = ProcessOutput.readToEnd(p, DEADLINE);

    assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(5);
    assertThat(out).isEqualTo("the-answer\n");
    assertThat(standInRuns()).as("the stand-in sleeps on").isTrue();
    List<String> args = Files.readAllLines(dir.resolve("args"));
    assertThat(args.get(0)).matches("-Dorchestrator\\.exit-fd=[0-9]+");
    assertThat(args.subList(1, args.size())).containsExactly("-Dorchestrator.called-at=1764806400.123456", "-jar",
        "hand", dir.toString());
  }

  @Test
  void withoutAHandedOverCodeTheExitStatusIsTheJvms() throws Exception {
    Process p = launch("exit");

    String out = ProcessOutput.readToEnd(p, DEADLINE);

    assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(7);
    assertThat(out).isEqualTo("the-answer\n");
  }

  @Test
  void aTermSentToTheLauncherReachesTheJvmWhoseStatusItExitsWith() throws Exception {
    Process p = launch("term");
    Await.until("the stand-in is ready", DEADLINE, () -> Files.exists(dir.resolve("ready")));

    p.destroy(); // SIGTERM, to the launcher only

    assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("term")).content().isEqualTo("got-term\n");
    assertThat(p.exitValue()).isEqualTo(143);
  }
}
