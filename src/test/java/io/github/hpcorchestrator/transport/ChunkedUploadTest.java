package io.github.hpcorchestrator.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hpcorchestrator.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through a local shell: the same writeFile and join commands a remote shell runs. */
class ChunkedUploadTest {
  @TempDir Path dir;
  private final List<String> lines = new ArrayList<>();
  private final Shell shell = new LocalShell();

  private Path file(int bytes) throws IOException {
    byte[] data = new byte[bytes];
    new Random(7).nextBytes(data);
    return Files.write(dir.resolve("src-" + bytes), data);
  }

  @Test
  void aLargeFileArrivesWholeInChunksWithProgressInMbAndPercent() throws IOException {
    Path src = file(ChunkedUpload.CHUNK_BYTES * 2 + 12345);
    String target = dir.resolve("remote/runtime/prometheus-x").toString();
    new ChunkedUpload(shell, lines::add).upload(src, ChunkedUpload.sha256(src), target, 0755, "prometheus");
    assertThat(Files.readAllBytes(Path.of(target))).isEqualTo(Files.readAllBytes(src));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(target)))).isEqualTo("rwxr-xr-x");
    assertThat(lines.get(0)).isEqualTo("uploading prometheus (8.0 MB) to " + target);
    assertThat(lines).contains("  prometheus: 4.0 MB of 8.0 MB (49%)", "  prometheus: 8.0 MB of 8.0 MB (99%)");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("uploaded prometheus (8.0 MB)");
    try (var left = Files.list(dir.resolve("remote/runtime"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("prometheus-x");
    }
  }

  @Test
  void aSmallOrEmptyFileIsOneLineBeforeAndOneAfter() throws IOException {
    for (int size : new int[] {0, 1000}) {
      lines.clear();
      Path src = file(size);
      String target = dir.resolve("t" + size).toString();
      new ChunkedUpload(shell, lines::add).upload(src, ChunkedUpload.sha256(src), target, 0644, "jar");
      assertThat(Files.readAllBytes(Path.of(target))).isEqualTo(Files.readAllBytes(src));
      assertThat(lines).hasSize(2);
    }
  }

  @Test
  void aWrongChecksumLeavesNoTargetAndNoParts() throws IOException {
    Path src = file(5000);
    String target = dir.resolve("runtime/node_exporter-y").toString();
    assertThatThrownBy(() -> new ChunkedUpload(shell, lines::add).upload(src, "0".repeat(64), target, 0755, "node_exporter"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageStartingWith("upload of node_exporter to " + target + " failed: checksum mismatch: got ");
    try (var left = Files.list(dir.resolve("runtime"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aJoinRunTwiceAfterItWorkedSucceedsAgain() throws IOException {
    Path src = file(3000);
    String sha = ChunkedUpload.sha256(src);
    Path parts = Files.createDirectories(dir.resolve("t.upload-1"));
    Files.copy(src, parts.resolve("000000"));
    String target = dir.resolve("t").toString();
    List<String> join = ChunkedUpload.joinArgv(parts.toString(), target, sha, 0755);
    assertThat(shell.run(join, Duration.ofSeconds(30)).ok()).isTrue();
    assertThat(shell.run(join, Duration.ofSeconds(30)).ok()).isTrue();
    assertThat(Files.readAllBytes(Path.of(target))).isEqualTo(Files.readAllBytes(src));
    assertThat(ChunkedUpload.mb(1000)).isEqualTo("1 KB");
    assertThat(ChunkedUpload.mb(52428800)).isEqualTo("50.0 MB");
  }
}
