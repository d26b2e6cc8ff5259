package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.OrchestratorConfig;
import io.github.hpcorchestrator.connection.LaunchRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the configuration: --config, else config.yaml at ORCHESTRATOR_HOME or here, else defaults. */
final class ConfigLocator {
  private ConfigLocator() {}

  /** The configuration of {@code configFile} (may be null) as the class comment describes; makes its door. */
  static OrchestratorConfig load(Path configFile) {
    return load(configFile, true);
  }

  /** As {@link #load(Path)}; {@code door} false: no door (--disconnect, which would leave one with no holder). */
  static OrchestratorConfig load(Path configFile, boolean door) {
    ConfigLoader loader = new ConfigLoader();
    if (configFile != null) {
      Optional<byte[]> bytes = door ? LaunchRecord.configBytes(configFile) : Optional.empty();
      OrchestratorConfig config = loader.load(configFile);
      if (door) {
        Doorkeeper.open(configFile, config, bytes);
      }
      return config;
    }
    String home = System.getenv("ORCHESTRATOR_HOME");
    Path[] candidates = {home == null ? null : Path.of(home, "config.yaml"), Path.of("config.yaml")};
    OrchestratorConfig config = OrchestratorConfig.defaults();
    for (Path candidate : candidates) {
      if (candidate != null && Files.isRegularFile(candidate)) {
        Optional<byte[]> bytes = door ? LaunchRecord.configBytes(candidate) : Optional.empty();
        config = loader.load(candidate);
        if (door) {
          Doorkeeper.open(candidate, config, bytes);
        }
        break;
      }
    }
    // Called from another folder, the shipped recipes are still found beside the launcher.
    if (home != null && !config.recipesDir().isAbsolute() && !Files.isDirectory(config.recipesDir())) {
      config = config.withRecipesDir(Path.of(home).resolve(config.recipesDir()));
    }
    return config;
  }
}
