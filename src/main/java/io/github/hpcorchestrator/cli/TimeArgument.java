package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.prometheus.PrometheusDuration;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Times on the command line: {@code now}, a relative time such as {@code -15m}, epoch seconds
 * ({@code 1700000000.5}) or RFC 3339 ({@code 2026-11-28T14:00:00Z}).
 */
final class TimeArgument {
  private TimeArgument() {}

  static Instant parse(String option, String text, Instant now) {
    String t = text.strip();
    try {
      if (t.equals("now")) {
        return now;
      }
      if (t.startsWith("-")) {
        return now.minus(PrometheusDuration.parse(t.substring(1)));
      }
      if (t.matches("\\d+(\\.\\d+)?")) {
        BigDecimal seconds = new BigDecimal(t);
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
      }
      return Instant.parse(t);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new InputException(option + ": expected now, a relative time like -15m, epoch seconds or RFC 3339"
          + " (2026-11-28T14:00:00Z), found '" + text + "'");
    }
  }
}
