package io.github.hpcorchestrator.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void aFolderGoesWithEverythingInItButNotWhatALinkInItPointsAt() throws IOException {
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "kept");
    Path dir = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(dir.resolve("f"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/link"), outside);

    FileTrees.remove(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside).hasContent("kept");
  }

  @Test
  void aMissingFolderIsNothingToDo() throws IOException {
    FileTrees.remove(tmp.resolve("none"));

    assertThat(tmp.resolve("none")).doesNotExist();
  }
}
