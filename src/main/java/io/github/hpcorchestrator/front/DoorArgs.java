package io.github.hpcorchestrator.front;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which calls may go through a door, decided from argv alone: exactly one of {@code --status},
 * {@code --service-endpoint ID} or {@code --query-service-metrics ID QUERY}, with at most
 * {@code --config FILE} and {@code --output json|text} beside it; anything else is not served.
 * java.base only.
 */
final class DoorArgs {
  private DoorArgs() {}

  /** The config file a servable call names ({@code --config}; null: none given), or empty when not servable. */
  static Optional<Optional<String>> servable(String... args) {
    int commands = 0;
    String config = null;
    boolean output = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--status" -> commands++;
        case "--service-endpoint" -> {
          if (!value(args, i, 1)) {
            return Optional.empty();
          }
          i++;
          commands++;
        }
        case "--query-service-metrics" -> {
          if (!value(args, i, 2)) {
            return Optional.empty();
          }
          i += 2;
          commands++;
        }
        case "--config", "--output" -> {
          if (!value(args, i, 1) || (a.equals("--config") ? config != null : output)) {
            return Optional.empty();
          }
          i++;
          if (a.equals("--config")) {
            config = args[i];
          } else if (!args[i].equals("json") && !args[i].equals("text")) {
            return Optional.empty();
          } else {
            output = true;
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return commands == 1 ? Optional.of(Optional.ofNullable(config)) : Optional.empty();
  }

  /**
   * Whether a servable call is a query: it reaches its monitor through a forward and needs the
   * remote shell only when the monitor moved (a status refresh).
   */
  static boolean isQuery(String... args) {
    for (String a : args) {
      if (a.equals("--query-service-metrics")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the {@code n} values after {@code args[i]} are there and none looks like an option. */
  private static boolean value(String[] args, int i, int n) {
    for (int k = 1; k <= n; k++) {
      if (i + k >= args.length || args[i + k].startsWith("-") || args[i + k].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The absolute config file as cli.ConfigLocator finds it: {@code --config}, else
   * $ORCHESTRATOR_HOME/config.yaml, else ./config.yaml; empty when none exists (defaults: local).
   */
  static Optional<Path> configFile(Optional<String> given, String home) {
    if (given.isPresent()) {
      return Optional.of(Path.of(given.get()).toAbsolutePath().normalize());
    }
    Path[] candidates = {home == null ? null : Path.of(home, "config.yaml"), Path.of("config.yaml")};
    for (Path c : candidates) {
      if (c != null && Files.isRegularFile(c)) {
        return Optional.of(c.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }
}
