package io.github.hpcorchestrator.report;

import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what a killed writer left in the metrics folder: temporary files of writers that no
 * longer run, and a monitor's {@code report.html} without its {@code report.json} (the commit
 * marker of {@link ReportWriter}). Only the metrics folder and its monitor folders are looked at.
 */
public final class StaleOutputs {
  // A writer renames the JSON right after the HTML page; one this old was never finished.
  private static final Duration UNFINISHED_REPORT_AGE = Duration.ofMinutes(1);

  private StaleOutputs() {}

  /** Cleans {@code metricsDir} and each folder directly in it; returns what was removed. */
  public static List<Path> clean(Path metricsDir) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(metricsDir, LinkOption.NOFOLLOW_LINKS)) {
      return removed;
    }
    removed.addAll(AtomicFiles.removeStaleTemps(metricsDir));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(metricsDir,
        p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (Path monitorDir : entries) {
        removed.addAll(AtomicFiles.removeStaleTemps(monitorDir));
        removeUnfinishedReport(monitorDir).ifPresent(removed::add);
      }
    } catch (IOException | RuntimeException e) {
      // Cleaning is a courtesy: a folder that cannot be listed is left as it is.
    }
    return removed;
  }

  private static java.util.Optional<Path> removeUnfinishedReport(Path monitorDir) {
    Path html = monitorDir.resolve("report.html");
    try {
      if (Files.isRegularFile(html, LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(monitorDir.resolve("report.json"), LinkOption.NOFOLLOW_LINKS)
          && Files.getLastModifiedTime(html).toInstant().isBefore(Instant.now().minus(UNFINISHED_REPORT_AGE))
          && Files.deleteIfExists(html)) {
        return java.util.Optional.of(html);
      }
    } catch (IOException e) {
      // Left for the next start.
    }
    return java.util.Optional.empty();
  }
}
