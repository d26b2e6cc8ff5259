package io.github.hpcorchestrator.status;

import java.math.BigDecimal;
import java.time.Instant;

/** Times for JSON: epoch seconds as plain decimals (never an exponent) and ISO-8601 strings. */
public final class EpochSeconds {
  private EpochSeconds() {}

  /** {@code seconds} rounded to milliseconds, without trailing zeros, e.g. 1796169588.609. */
  public static BigDecimal plain(double seconds) {
    BigDecimal value = BigDecimal.valueOf(Math.round(seconds * 1000)).movePointLeft(3).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0) : value;
  }

  /** {@code seconds} as an ISO-8601 UTC instant, e.g. 2026-12-02T13:00:00.609Z. */
  public static String iso(double seconds) {
    return Instant.ofEpochMilli(Math.round(seconds * 1000)).toString();
  }
}
