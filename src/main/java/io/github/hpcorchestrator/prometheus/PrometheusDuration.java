package io.github.hpcorchestrator.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between {@link Duration} and Prometheus duration strings such as "15s" or "1m30s".
 * Stateless; instances are never needed.
 */
public final class PrometheusDuration {

  // Prometheus' own grammar (common/model.ParseDuration); units must appear in this order.
  private static final Pattern SYNTAX = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
  };
  private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

  private PrometheusDuration() {}

  /**
   * Renders a positive duration with millisecond precision, largest units first ("1h", "1m30s",
   * "500ms"); years and weeks are not used because they read ambiguously.
   *
   * @throws IllegalArgumentException if the duration is not positive or has sub-millisecond parts
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("Prometheus duration must be positive: " + duration);
    }
    if (duration.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException("Prometheus durations have millisecond precision: " + duration);
    }
    long remaining = duration.toMillis();
    StringBuilder text = new StringBuilder();
    for (int i = 2; i < UNIT_MILLIS.length; i++) {
      long count = remaining / UNIT_MILLIS[i];
      if (count > 0) {
        text.append(count).append(UNIT_NAMES[i]);
        remaining -= count * UNIT_MILLIS[i];
      }
    }
    return text.toString();
  }

  /**
   * Parses a Prometheus duration string ("15s", "1h30m", "250ms").
   *
   * @throws IllegalArgumentException if the text is not a non-zero Prometheus duration
   */
  public static Duration parse(String text) {
    Matcher matcher = SYNTAX.matcher(text);
    if (text.isEmpty() || !matcher.matches()) {
      throw new IllegalArgumentException("not a Prometheus duration (e.g. 15s, 1m30s): \"" + text + "\"");
    }
    long millis = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String count = matcher.group(i + 1);
      if (count != null) {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(count), UNIT_MILLIS[i]));
      }
    }
    if (millis == 0) {
      throw new IllegalArgumentException("Prometheus duration must not be zero: \"" + text + "\"");
    }
    return Duration.ofMillis(millis);
  }
}
