package io.github.hpcorchestrator.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of a test's temporary folder tree. */
public final class TempFolder {
  private TempFolder() {}

  /** Deletes {@code dir} and everything below it, as far as it can: a leftover file fails no test. */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // A file a job still holds open is left for the system's /tmp cleanup.
        }
      }
    } catch (IOException e) {
      // The tree changed while it was walked; what is left stays.
    }
  }
}
