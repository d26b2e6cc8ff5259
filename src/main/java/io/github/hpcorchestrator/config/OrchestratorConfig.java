package io.github.hpcorchestrator.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The orchestrator's validated configuration (config.yaml).
 *
 * @param source the file it came from, or empty for built-in defaults
 * @param backend which scheduler runs services
 * @param stateDir where local state (SQLite, per-service folders on the local backend) lives
 * @param recipesDir where available service recipes are listed from
 * @param metricsDir where collected metrics and reports are written
 * @param hpc how to reach the cluster's login node; empty means SLURM commands run on this machine
 * @param slurm defaults for job resources that recipes override
 * @param remoteDir the orchestrator's folder on the cluster ("$HOME" and "~" expand there)
 * @param limits bounds on Prometheus answers and waits
 */
public record OrchestratorConfig(
    Optional<Path> source,
    Backend backend,
    Path stateDir,
    Path recipesDir,
    Path metricsDir,
    Optional<HpcConfig> hpc,
    SlurmDefaults slurm,
    String remoteDir,
    Limits limits) {

  /** Which scheduler runs services. */
  public enum Backend {
    LOCAL,
    SLURM
  }

  /** Defaults used when no config file is given: local backend, state in ~/.orchestrator. */
  public static OrchestratorConfig defaults() {
    Path home = Path.of(System.getProperty("user.home"));
    return new OrchestratorConfig(Optional.empty(), Backend.LOCAL, home.resolve(".orchestrator"),
        Path.of("recipes/services"), Path.of("metrics"), Optional.empty(), SlurmDefaults.none(),
        "$HOME/.orchestrator", Limits.defaults());
  }

  /** The same config with another recipes directory. */
  public OrchestratorConfig withRecipesDir(Path dir) {
    return new OrchestratorConfig(source, backend, stateDir, dir, metricsDir, hpc, slurm, remoteDir, limits);
  }

  /** The same config with another state directory (tests and --state-dir). */
  public OrchestratorConfig withStateDir(Path dir) {
    return new OrchestratorConfig(source, backend, dir, recipesDir, metricsDir, hpc, slurm, remoteDir, limits);
  }
}
