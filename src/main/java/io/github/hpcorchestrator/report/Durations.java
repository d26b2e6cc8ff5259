package io.github.hpcorchestrator.report;

import java.time.Duration;

/** Elapsed times as squeue prints them: M:SS, H:MM:SS, D-HH:MM:SS. */
public final class Durations {
  private Durations() {}

  /** {@code d} in squeue's elapsed-time format. */
  public static String elapsed(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long days = s / 86400;
    long hours = (s % 86400) / 3600;
    long minutes = (s % 3600) / 60;
    long seconds = s % 60;
    if (days > 0) {
      return String.format("%d-%02d:%02d:%02d", days, hours, minutes, seconds);
    }
    if (hours > 0) {
      return String.format("%d:%02d:%02d", hours, minutes, seconds);
    }
    return String.format("%d:%02d", minutes, seconds);
  }
}
