package io.github.hpcorchestrator.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The --help option list grouped by what the options are about, and the short usage. */
final class HelpText {
  private HelpText() {}

  /** The line that names what a call needs, printed with no arguments. */
  static final String SHORT_USAGE_LINE = "no action given: choose one, e.g. --status, --recipe NAME, --list-services"
      + " or --demo";

  /** The groups of --help, in order; every option of the command is in one of them. */
  static final Map<String, List<String>> GROUPS = groups();

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    g.put("Services", List.of("--list-services", "--recipe", "--dry-run", "--no-wait", "--status",
        "--list-running-services", "--logs", "--tail", "--follow", "--sidecar", "--service-endpoint", "--tunnel",
        "--stop-service", "--stop-all-services", "--clear-state"));
    g.put("Monitors", List.of("--list-monitors", "--monitor-status", "--monitor-endpoint", "--show-credentials",
        "--stop-monitor"));
    g.put("Queries and reports", List.of("--query-service-metrics", "--query-metrics", "--start", "--end", "--step",
        "--collect-metrics", "--format", "--report"));
    g.put("Sessions", List.of("--wait", "--results", "--stop-session", "--demo", "--keep"));
    g.put("Output and configuration", List.of("--output", "--config", "--disconnect", "--verbose", "--help",
        "--version"));
    return g;
  }

  /** Installs the grouped option list in place of picocli's flat one. */
  static void install(CommandLine cli) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cli.getHelpSectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options(help.commandSpec()));
  }

  /** Each group's heading and its options, one per line: names, parameters, description. */
  static String options(CommandSpec spec) {
    StringBuilder text = new StringBuilder();
    int width = 0;
    for (List<String> names : GROUPS.values()) {
      for (String name : names) {
        width = Math.max(width, label(spec.findOption(name)).length());
      }
    }
    for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
      text.append('\n').append(group.getKey()).append(":\n");
      for (String name : group.getValue()) {
        OptionSpec o = spec.findOption(name);
        text.append("  ").append(String.format("%-" + width + "s", label(o))).append("  ")
            .append(String.join(" ", o.description())).append('\n');
      }
    }
    return text.toString();
  }

  /** {@code -v, --verbose} or {@code --recipe=FILE} or {@code --report ID [FILE]}. */
  private static String label(OptionSpec o) {
    String names = String.join(", ", o.names());
    if (o.arity().max() == 0) {
      return names;
    }
    return names + (o.arity().max() > 1 ? " " : "=") + o.paramLabel();
  }
}
