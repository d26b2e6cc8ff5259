package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a file the user names for output goes: an absolute path as given, a relative one under
 * the metrics folder, which it may not leave (by {@code ..} or by a symlink inside it).
 */
public final class OutputLocation {
  private OutputLocation() {}

  /**
   * The file {@code given} names, relative names resolved under {@code metricsDir}.
   *
   * @throws InputException when a relative name leaves the metrics folder or names no file
   */
  public static Path resolve(Path metricsDir, String given) {
    Path path;
    try {
      path = Path.of(given);
    } catch (InvalidPathException e) {
      throw new InputException("output file " + quote(given) + " is not a valid path: " + e.getReason());
    }
    if (given.isEmpty() || path.getFileName() == null) {
      throw new InputException("output file " + quote(given) + " names no file");
    }
    if (path.isAbsolute()) {
      return path;
    }
    Path base = metricsDir.toAbsolutePath().normalize();
    Path resolved = metricsDir.resolve(path).normalize();
    Path absolute = resolved.toAbsolutePath().normalize();
    if (!absolute.startsWith(base) || absolute.equals(base) || !staysInside(base, absolute)) {
      throw new InputException("output file " + quote(given) + " leaves metrics_dir (" + metricsDir
          + "): a relative path must stay inside it; give an absolute path to write elsewhere");
    }
    return resolved;
  }

  /** Whether the part of {@code file}'s folder that exists is, symlinks followed, still inside {@code base}. */
  private static boolean staysInside(Path base, Path file) {
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(base)) {
      return true;
    }
    try {
      Path realBase = base.toRealPath();
      return existing.toRealPath().startsWith(realBase);
    } catch (IOException e) {
      // Unreadable folders fail later, when the file is written, with their own message.
      return true;
    }
  }

  private static String quote(String text) {
    return io.github.hpcorchestrator.recipe.YamlValue.quote(text);
  }
}
