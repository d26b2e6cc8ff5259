package io.github.hpcorchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AtomicFiles: the exact mode, and on failure neither a partial target nor a temp file left over. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesWithTheGivenModeAndLeavesNoTempFile() throws IOException {
    Path target = dir.resolve("connection");

    AtomicFiles.write(target, "host=a\n".getBytes(StandardCharsets.UTF_8), 0600);
    AtomicFiles.write(target, "host=b\n".getBytes(StandardCharsets.UTF_8), 0600);

    assertThat(target).hasContent("host=b");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(names(dir)).containsExactly("connection");
  }

  @Test
  void scriptModeIs0700() throws IOException {
    Path target = dir.resolve("job.sh");

    AtomicFiles.write(target, "#!/bin/bash\n".getBytes(StandardCharsets.UTF_8), 0700);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
  }

  @Test
  void parentThatIsAFileFailsWithoutLeavingAnything() throws IOException {
    Path parent = Files.writeString(dir.resolve("not-a-folder"), "x");

    assertThatThrownBy(() -> AtomicFiles.write(parent.resolve("state.db"), new byte[] {1}, 0600))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("cannot write " + parent.resolve("state.db") + ": ");
    assertThat(parent).hasContent("x");
    assertThat(names(dir)).containsExactly("not-a-folder");
  }

  @Test
  void failedRenameKeepsTheOldTargetAndRemovesTheTempFile() throws IOException {
    // A non-empty folder in the target's place: the temp file is written, the rename fails.
    Path target = Files.createDirectories(dir.resolve("exit_code"));
    Files.writeString(target.resolve("keep"), "old");

    assertThatThrownBy(() -> AtomicFiles.write(target, "0\n".getBytes(StandardCharsets.UTF_8), 0600))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("cannot write " + target + ": ");
    assertThat(target.resolve("keep")).hasContent("old");
    assertThat(names(dir)).containsExactly("exit_code");
  }

  @Test
  void nameTooLongForATempFileFailsWithoutLeavingAnything() throws IOException {
    Path target = dir.resolve("x".repeat(250));

    assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1}, 0600))
        .isInstanceOf(OperationFailedException.class);
    assertThat(names(dir)).isEmpty();
  }

  @Test
  void existingContentSurvivesAFailedWrite() throws IOException {
    Path target = dir.resolve("prometheus.yml");
    AtomicFiles.write(target, "old\n".getBytes(StandardCharsets.UTF_8), 0600);
    Path blocker = Files.writeString(dir.resolve("sub"), "file, not folder");

    assertThatThrownBy(() -> AtomicFiles.write(blocker.resolve("prometheus.yml"), new byte[] {1}, 0600))
        .isInstanceOf(OperationFailedException.class);
    assertThat(target).hasContent("old");
    assertThat(names(dir)).containsExactlyInAnyOrder("prometheus.yml", "sub");
  }

  @Test
  void writeTogetherPlacesEveryFileAndTheMarkerLast() throws IOException {
    Path html = dir.resolve("report.html");
    Path json = dir.resolve("report.json");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(html, "<html>".getBytes(StandardCharsets.UTF_8));
    files.put(json, "{}".getBytes(StandardCharsets.UTF_8));

    AtomicFiles.writeTogether(files, 0644);

    assertThat(html).hasContent("<html>");
    assertThat(json).hasContent("{}");
    assertThat(Files.getLastModifiedTime(json)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(html));
    assertThat(names(dir)).containsExactly("report.html", "report.json");
  }

  @Test
  void writeTogetherThatFailsChangesNothingAndLeavesNoTemp() throws IOException {
    Path html = Files.writeString(dir.resolve("report.html"), "old page");
    // The marker cannot be replaced: a folder that is not empty stands in its place.
    Path json = Files.createDirectories(dir.resolve("report.json"));
    Files.writeString(json.resolve("keep"), "x");
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(html, "<html>".getBytes(StandardCharsets.UTF_8));
    files.put(json, "{}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> AtomicFiles.writeTogether(files, 0644))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("cannot write " + json + ": ");
    assertThat(html).as("nothing was placed").hasContent("old page");
    assertThat(names(dir)).as("no temp file").containsExactly("report.html", "report.json");
  }

  @Test
  void tempFilesOfEndedWritersAreRemovedAndLiveOnesKept() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    String hex = "0123456789abcdef0123456789abcdef";
    Path dead = Files.writeString(dir.resolve(".a.json." + ended.pid() + "@" + host + "." + hex + ".tmp"), "");
    Path live = Files.writeString(dir.resolve(".b.json." + ProcessHandle.current().pid() + "@" + host + "."
        + hex + ".tmp"), "");
    Path otherHost = Files.writeString(dir.resolve(".c.json." + ended.pid() + "@elsewhere." + hex + ".tmp"), "");
    Path oldOtherHost = Files.writeString(dir.resolve(".d.json." + ended.pid() + "@elsewhere." + hex + ".tmp"), "");
    Files.setLastModifiedTime(oldOtherHost, FileTime.from(Instant.now().minusSeconds(3600)));
    Path oldFormat = Files.writeString(dir.resolve(".e.json.1234567890123.tmp"), "");
    Files.setLastModifiedTime(oldFormat, FileTime.from(Instant.now().minusSeconds(3600)));
    Path freshOldFormat = Files.writeString(dir.resolve(".f.json.1234567890123.tmp"), "");
    Path notATemp = Files.writeString(dir.resolve("notes.tmp"), "");

    List<Path> removed = AtomicFiles.removeStaleTemps(dir);

    assertThat(removed).containsExactlyInAnyOrder(dead, oldOtherHost, oldFormat);
    assertThat(names(dir)).containsExactlyInAnyOrder(live.getFileName().toString(),
        otherHost.getFileName().toString(), freshOldFormat.getFileName().toString(), "notes.tmp");
    assertThat(notATemp).exists();
  }

  @Test
  void aTempFileNamesItsWriter() throws IOException {
    Path target = dir.resolve("big.json");
    String[] seen = new String[1];

    AtomicFiles.write(target, 0644, out -> {
      try (Stream<Path> files = Files.list(dir)) {
        seen[0] = files.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
      }
      out.write('x');
    });

    assertThat(seen[0]).matches("\\.big\\.json\\." + ProcessHandle.current().pid() + "@[A-Za-z0-9.-]*\\.[0-9a-f]{32}\\.tmp");
    assertThat(target).hasContent("x");
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
