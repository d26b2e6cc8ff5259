package io.github.hpcorchestrator.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * The time range a report covers and the resolution its series were queried at. Immutable.
 *
 * @param start first evaluation time
 * @param end last evaluation time, not before {@code start}
 * @param step time between two points of a series, positive
 */
public record ReportWindow(Instant start, Instant end, Duration step) {

  /** At most this many points per series when {@link #covering} picks the step. */
  public static final int MAX_POINTS = 1000;

  public ReportWindow {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("report window ends before it starts: " + start + " > " + end);
    }
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("report step must be positive: " + step);
    }
  }

  /**
   * The window ending at {@code end} and starting at {@code start} or less than one step before it,
   * with the smallest whole-second step (at least 1 s) that gives
   * each series at most {@link #MAX_POINTS} points.
   */
  public static ReportWindow covering(Instant start, Instant end) {
    long spanMillis = Math.max(0, Duration.between(start, end).toMillis());
    // Points are start, start + step, ... up to end: span / step + 1 of them.
    long stepSeconds = Math.max(1, ceilDiv(spanMillis, (MAX_POINTS - 1) * 1000L));
    // The grid ends exactly at end (the start moves back by less than a step), so the newest
    // samples, often the ones that matter at the end of a session, always land on a point.
    long steps = ceilDiv(spanMillis, stepSeconds * 1000L);
    return new ReportWindow(end.minusSeconds(steps * stepSeconds), end, Duration.ofSeconds(stepSeconds));
  }

  /**
   * As {@link #covering(Instant, Instant)}, with a step of at least {@code minStep} (a monitor's
   * scrape interval: a finer step only repeats each scraped sample).
   */
  public static ReportWindow covering(Instant start, Instant end, Duration minStep) {
    ReportWindow fine = covering(start, end);
    if (minStep.compareTo(fine.step()) <= 0) {
      return fine;
    }
    long spanMillis = Math.max(0, Duration.between(start, end).toMillis());
    long stepMillis = minStep.toMillis();
    return new ReportWindow(end.minusMillis(ceilDiv(spanMillis, stepMillis) * stepMillis), end, minStep);
  }

  /** How many points a series that has a value at every step holds. */
  public long points() {
    return Duration.between(start, end).toMillis() / step.toMillis() + 1;
  }

  /** {@code instant} as epoch seconds with millisecond precision, e.g. 1700000000.25. */
  static BigDecimal epochSeconds(Instant instant) {
    return seconds(instant.toEpochMilli());
  }

  /** {@code millis} as seconds without trailing zeros, e.g. 15 or 0.25. */
  static BigDecimal seconds(long millis) {
    BigDecimal value = BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0) : value;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
