package io.github.hpcorchestrator.prometheus;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target group: {@code host:port} targets sharing a set of labels. It is the element of a job's
 * {@code static_configs} and also of a file_sd target file (see {@link FileSdWriter}). Immutable;
 * labels are kept sorted by name.
 *
 * @param targets {@code host:port} addresses, in the order given
 * @param labels labels attached to every target of the group; may be empty
 */
public record StaticConfig(List<String> targets, Map<String, String> labels) {

  public StaticConfig {
    targets = List.copyOf(targets);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** A group without extra labels. */
  public static StaticConfig of(String... targets) {
    return new StaticConfig(List.of(targets), Map.of());
  }
}
