package io.github.hpcorchestrator.prometheus;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One labelled series of a query result. Immutable; labels are sorted by name.
 *
 * @param metric the series' labels, including {@code __name__} when Prometheus kept it; empty
 *     for scalar and string results
 * @param samples one sample for vector, scalar and string results; in time order for matrices
 */
public record Series(Map<String, String> metric, List<Sample> samples) {

  public Series {
    metric = Collections.unmodifiableMap(new TreeMap<>(metric));
    samples = List.copyOf(samples);
  }
}
