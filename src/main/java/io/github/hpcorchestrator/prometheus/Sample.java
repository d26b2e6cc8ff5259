package io.github.hpcorchestrator.prometheus;

import java.time.Instant;

/**
 * One value of a series at one time.
 *
 * @param timestamp sample time, millisecond precision as Prometheus stores it
 * @param value the value exactly as Prometheus wrote it ("1", "0.25", "NaN", "+Inf"), so no
 *     precision is lost or invented by a float round trip
 */
public record Sample(Instant timestamp, String value) {}
