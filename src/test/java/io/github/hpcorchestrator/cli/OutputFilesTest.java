package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.report.ReportWindow;
import io.github.hpcorchestrator.report.SavedMetricsWriter;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 7 through the CLI: output files named by the user stay under metrics_dir unless
 * absolute, and what a killed writer left in metrics_dir is gone on the next start. The monitor
 * here is one that ended with its window saved, so {@code --report} runs its real path without a
 * Prometheus.
 */
class OutputFilesTest {
  private static final String MONITOR = "prometheus_0a1b2c3d";
  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

  @TempDir Path dir;
  private LocalCli cli;
  private Path metrics;

  @BeforeEach
  void endedMonitorWithItsWindowSaved() throws IOException {
    cli = new LocalCli(dir);
    metrics = dir.resolve("metrics");
    try (StateStore store = StateStore.open(dir.resolve("state"))) {
      store.put(new ServiceRecord(MONITOR, "prometheus", "session_1", "local", "4242",
          dir.resolve("state/services/" + MONITOR).toString(), 9090, JobState.CANCELLED, "localhost", "localhost",
          9090, Optional.of(0), T0, Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(60)), "p.yaml"));
    }
    SavedMetricsWriter.write(metrics.resolve(MONITOR).resolve("session-metrics.json"),
        ReportWindow.covering(T0.plusSeconds(1), T0.plusSeconds(60)), Map.of());
  }

  private void assertOneInputError(CliResult r, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: " + message + "\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aRelativeReportPathIsUnderMetricsDirNotTheCurrentFolder() throws IOException {
    // Old behaviour: relative to the current folder; the name is unique so a stray file is visible.
    String name = "target/report-" + UUID.randomUUID() + "/rep";

    CliResult r = cli.run("--report", MONITOR, name);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(metrics.resolve(name + ".json")).isRegularFile();
    assertThat(metrics.resolve(name + ".html")).isRegularFile();
    assertThat(Path.of(name + ".json")).doesNotExist();
    assertThat(r.out()).isEqualTo("Wrote " + metrics.resolve(name) + ".json and " + metrics.resolve(name) + ".html\n");
  }

  @Test
  void aReportPathThatLeavesMetricsDirIsRefusedAndWritesNothing() throws IOException {
    Files.createDirectories(dir.resolve("etc"));

    CliResult r = cli.run("--report", MONITOR, "../etc/r");

    assertOneInputError(r, "output file '../etc/r' leaves metrics_dir (" + metrics
        + "): a relative path must stay inside it; give an absolute path to write elsewhere");
    assertThat(dir.resolve("etc")).isEmptyDirectory();
  }

  @Test
  void anAbsoluteReportPathIsWrittenAsGiven() {
    Path base = dir.resolve("elsewhere/rep");

    assertThat(cli.run("--report", MONITOR, base.toString()).code()).isZero();

    assertThat(dir.resolve("elsewhere/rep.json")).isRegularFile();
    assertThat(dir.resolve("elsewhere/rep.html")).isRegularFile();
  }

  @Test
  void aSymlinkInsideMetricsDirDoesNotLeadOut() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createSymbolicLink(metrics.resolve("out"), outside);

    CliResult r = cli.run("--report", MONITOR, "out/r");

    assertOneInputError(r, "output file 'out/r' leaves metrics_dir (" + metrics
        + "): a relative path must stay inside it; give an absolute path to write elsewhere");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void aCollectPathThatLeavesMetricsDirIsRefusedBeforeAnyQuery() throws IOException {
    // The monitor has ended: a query would fail, so exit 2 and this message prove the check came first.
    CliResult r = cli.run("--collect-metrics", MONITOR, "up", "../../../etc/x.json");

    assertOneInputError(r, "output file '../../../etc/x.json' leaves metrics_dir (" + metrics
        + "): a relative path must stay inside it; give an absolute path to write elsewhere");
  }

  @Test
  void leftoversOfAKilledStopAreRemovedOnTheNextStart() throws Exception {
    Path monitorDir = metrics.resolve(MONITOR);
    long deadPid = deadPid();
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    // What SIGKILL during --stop-monitor leaves: a temp of the window's save, and a report page
    // whose JSON (written last, as the commit marker) never came.
    Path temp = Files.writeString(monitorDir.resolve(".session-metrics.json." + deadPid + "@" + host + "."
        + "0123456789abcdef0123456789abcdef.tmp"), "{\"window\":");
    Path oldTemp = Files.writeString(monitorDir.resolve(".session-metrics.json.8731234871234.tmp"), "{");
    Files.setLastModifiedTime(oldTemp, FileTime.from(Instant.now().minusSeconds(3600)));
    Path live = Files.writeString(monitorDir.resolve(".report.json." + ProcessHandle.current().pid() + "@" + host
        + ".fedcba9876543210fedcba9876543210.tmp"), "{");
    Path lonePage = Files.writeString(monitorDir.resolve("report.html"), "<html>");
    Files.setLastModifiedTime(lonePage, FileTime.from(Instant.now().minusSeconds(600)));

    assertThat(cli.run("--status").code()).isZero();

    assertThat(temp).doesNotExist();
    assertThat(oldTemp).doesNotExist();
    assertThat(lonePage).doesNotExist();
    assertThat(live).as("a temp of a process that still runs").exists();
    assertThat(monitorDir.resolve("session-metrics.json")).exists();
  }

  /** The PID of a process that has ended. */
  static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    return p.pid();
  }
}
