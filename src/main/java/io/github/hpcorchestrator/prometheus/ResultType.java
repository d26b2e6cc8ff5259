package io.github.hpcorchestrator.prometheus;

import java.util.Locale;

/** The shape of a PromQL result, as Prometheus names it in {@code data.resultType}. */
public enum ResultType {
  /** One sample per series at the evaluation time. */
  VECTOR,
  /** Many samples per series (range queries, range selectors). */
  MATRIX,
  /** One number without labels. */
  SCALAR,
  /** One string without labels. */
  STRING;

  /** The type Prometheus calls {@code name}, e.g. "vector". */
  static ResultType fromApiName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** The name Prometheus uses, e.g. "vector". */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
