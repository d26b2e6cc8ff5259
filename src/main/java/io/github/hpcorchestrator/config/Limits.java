package io.github.hpcorchestrator.config;

import java.time.Duration;

/**
 * Bounds on what the orchestrator waits for and holds from a Prometheus (config.yaml {@code limits}).
 *
 * @param maxAnswerBytes the largest answer body one request may bring, and the largest one saved
 *     query read back for a report
 * @param requestTimeout the most one request to Prometheus may take, answer included
 * @param statusTimeout the most {@code --status} waits for the monitors' targets, all asked at once
 */
public record Limits(long maxAnswerBytes, Duration requestTimeout, Duration statusTimeout) {

  /** Default of {@code limits.max_answer_bytes}: 64 MiB. */
  public static final long DEFAULT_MAX_ANSWER_BYTES = 64L * 1024 * 1024;
  /** Smallest accepted {@code limits.max_answer_bytes}: below it not even an error answer fits. */
  public static final long MIN_ANSWER_BYTES = 1024;
  /** Largest accepted {@code limits.max_answer_bytes}: 4 GiB. */
  public static final long MAX_ANSWER_BYTES = 4L * 1024 * 1024 * 1024;

  public Limits {
    if (maxAnswerBytes < MIN_ANSWER_BYTES || maxAnswerBytes > MAX_ANSWER_BYTES) {
      throw new IllegalArgumentException("max answer bytes out of range: " + maxAnswerBytes);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero() || statusTimeout.isNegative()
        || statusTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive: " + requestTimeout + ", " + statusTimeout);
    }
  }

  /** 64 MiB per answer, 30 s per request, 5 s for {@code --status}. */
  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_ANSWER_BYTES, Duration.ofSeconds(30), Duration.ofSeconds(5));
  }
}
