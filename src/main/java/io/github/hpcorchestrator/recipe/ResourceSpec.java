package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/**
 * Scheduler resources a service asks for; every field is optional and falls back to config defaults.
 *
 * @param gpus SLURM's {@code --gpus} (GPUs for the whole job), e.g. "1" or "a100:2"
 * @param gpusPerNode SLURM's {@code --gpus-per-node}, same form
 */
public record ResourceSpec(
    Optional<String> mem,
    Optional<Integer> cpusPerTask,
    Optional<String> time,
    Optional<String> partition,
    Optional<String> qos,
    Optional<String> account,
    Optional<Integer> nodes,
    Optional<Integer> ntasks,
    Optional<Integer> ntasksPerNode,
    Optional<String> gres,
    Optional<String> gpus,
    Optional<String> gpusPerNode) {

  /** Resources without GPU counts of their own (a GPU may still come through gres). */
  public ResourceSpec(Optional<String> mem, Optional<Integer> cpusPerTask, Optional<String> time,
      Optional<String> partition, Optional<String> qos, Optional<String> account, Optional<Integer> nodes,
      Optional<Integer> ntasks, Optional<Integer> ntasksPerNode, Optional<String> gres) {
    this(mem, cpusPerTask, time, partition, qos, account, nodes, ntasks, ntasksPerNode, gres, Optional.empty(),
        Optional.empty());
  }

  /** Resources with nothing set. */
  public static ResourceSpec none() {
    return new ResourceSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** Whether the job asks for GPUs: {@code gres: gpu...}, {@code gpus} or {@code gpus_per_node}. */
  public boolean requestsGpus() {
    if (gpus.isPresent() || gpusPerNode.isPresent()) {
      return true;
    }
    // gres is a comma-separated list of name[:type][:count]; only the name says what it is.
    return gres.map(g -> java.util.Arrays.stream(g.split(",")).anyMatch(item -> item.split(":", 2)[0].equals("gpu")))
        .orElse(false);
  }
}
