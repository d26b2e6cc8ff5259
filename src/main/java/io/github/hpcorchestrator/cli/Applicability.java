package io.github.hpcorchestrator.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** Which modifier options go with which actions: one given to another action is a usage error. */
final class Applicability {
  private Applicability() {}

  private static final List<String> QUERIES = List.of("--query-service-metrics", "--query-metrics", "--collect-metrics");

  /** Per modifier, the actions it applies to; options not listed here (--config, --output, -v) apply to all. */
  static final Map<String, List<String>> APPLIES_TO = Map.of(
      "--dry-run", List.of("--recipe"),
      "--no-wait", List.of("--recipe"),
      "--tunnel", List.of("--service-endpoint", "--monitor-endpoint"),
      "--keep", List.of("--demo"),
      "--format", List.of("--collect-metrics"),
      "--start", QUERIES,
      "--end", QUERIES,
      "--step", QUERIES);

  private static final Set<String> GLOBAL = Set.of("--config", "--output", "--verbose", "--help", "--version");

  /** Throws a {@link UsageException} naming the first given option that does not apply to the given action. */
  static void check(ParseResult parsed) {
    String action = null;
    for (OptionSpec o : parsed.matchedOptions()) {
      String name = o.longestName();
      if (o.group() != null) {
        action = name;
      }
    }
    for (OptionSpec o : parsed.matchedOptions()) {
      String name = o.longestName();
      List<String> targets = APPLIES_TO.get(name);
      if (o.group() != null || GLOBAL.contains(name) || targets == null) {
        continue;
      }
      if (!targets.contains(action)) {
        throw new UsageException(name + " does not apply to " + action + " (it goes with "
            + String.join(", ", targets) + ")");
      }
    }
  }
}
