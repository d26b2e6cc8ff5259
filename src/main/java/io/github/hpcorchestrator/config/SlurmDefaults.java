package io.github.hpcorchestrator.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job defaults from the config's {@code slurm:} section; a recipe's resources override them.
 *
 * @param extraDirectives extra {@code #SBATCH} lines passed through as written (without the prefix)
 * @param setup shell lines every job runs first, as written ({@code module load Apptainer})
 * @param tools paths on the cluster of programs jobs run ("prometheus", "node_exporter", "java"),
 *     used as written instead of looking for them or uploading this machine's
 */
public record SlurmDefaults(
    Optional<String> account,
    Optional<String> partition,
    Optional<String> qos,
    Optional<String> time,
    List<String> extraDirectives,
    List<String> setup,
    Map<String, String> tools) {

  /** The programs {@code tools} may name. */
  public static final List<String> TOOL_NAMES = List.of("prometheus", "node_exporter", "java");

  public SlurmDefaults {
    extraDirectives = List.copyOf(extraDirectives);
    setup = List.copyOf(setup);
    tools = Map.copyOf(tools);
  }

  /** Defaults without setup lines or tool paths. */
  public SlurmDefaults(Optional<String> account, Optional<String> partition, Optional<String> qos,
      Optional<String> time, List<String> extraDirectives) {
    this(account, partition, qos, time, extraDirectives, List.of(), Map.of());
  }

  /** Defaults without tool paths. */
  public SlurmDefaults(Optional<String> account, Optional<String> partition, Optional<String> qos,
      Optional<String> time, List<String> extraDirectives, List<String> setup) {
    this(account, partition, qos, time, extraDirectives, setup, Map.of());
  }

  public static SlurmDefaults none() {
    return new SlurmDefaults(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }
}
