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
  static final Map<String, List<String>> APPLIES_TO = Map.ofEntries(
      Map.entry("--tail", List.of("--logs")),
      Map.entry("--follow", List.of("--logs")),
      Map.entry("--sidecar", List.of("--logs")),
      Map.entry("--dry-run", List.of("--recipe")),
      Map.entry("--no-wait", List.of("--recipe")),
      Map.entry("--wait", List.of("--recipe")),
      Map.entry("--tunnel", List.of("--service-endpoint", "--monitor-endpoint")),
      Map.entry("--keep", List.of("--demo")),
      Map.entry("--format", List.of("--collect-metrics")),
      Map.entry("--start", QUERIES),
      Map.entry("--end", QUERIES),
      Map.entry("--step", QUERIES));

  private static final Set<String> GLOBAL = Set.of("--config", "--output", "--verbose", "--help", "--version");

  /**
   * Throws a {@link UsageException} naming the first given option that does not apply to
   * {@code action}, the one given of the {@code actions}.
   */
  static void check(ParseResult parsed, String action, List<OptionSpec> actions) {
    for (OptionSpec o : parsed.matchedOptions()) {
      String name = o.longestName();
      List<String> targets = APPLIES_TO.get(name);
      if (actions.contains(o) || GLOBAL.contains(name) || targets == null) {
        continue;
      }
      if (!targets.contains(action)) {
        throw new UsageException(name + " does not apply to " + action + " (it goes with "
            + String.join(", ", targets) + ")");
      }
    }
  }
}
