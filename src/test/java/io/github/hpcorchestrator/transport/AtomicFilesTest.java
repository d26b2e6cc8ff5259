package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
