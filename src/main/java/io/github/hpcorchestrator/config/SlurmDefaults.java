package io.github.hpcorchestrator.config;

import java.util.List;
import java.util.Optional;

/**
 * Job defaults from the config's {@code slurm:} section; a recipe's resources override them.
 *
 * @param extraDirectives extra {@code #SBATCH} lines passed through as written (without the prefix)
 * @param setup shell lines every job runs first, as written ({@code module load Apptainer})
 */
public record SlurmDefaults(
    Optional<String> account,
    Optional<String> partition,
    Optional<String> qos,
    Optional<String> time,
    List<String> extraDirectives,
    List<String> setup) {

  public SlurmDefaults {
    extraDirectives = List.copyOf(extraDirectives);
    setup = List.copyOf(setup);
  }

  /** Defaults without setup lines. */
  public SlurmDefaults(Optional<String> account, Optional<String> partition, Optional<String> qos,
      Optional<String> time, List<String> extraDirectives) {
    this(account, partition, qos, time, extraDirectives, List.of());
  }

  public static SlurmDefaults none() {
    return new SlurmDefaults(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }
}
