package io.github.hpcorchestrator.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removing a folder with everything in it (temporary folders of one run). */
public final class FileTrees {
  private FileTrees() {}

  /** Removes {@code dir} and everything under it; nothing when it does not exist. Links are removed, not followed. */
  public static void remove(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
