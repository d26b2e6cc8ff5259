package io.github.hpcorchestrator.recipe;

import java.util.Optional;

/** Scheduler resources a service asks for; every field is optional and falls back to config defaults. */
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
    Optional<String> gres) {

  /** Resources with nothing set. */
  public static ResourceSpec none() {
    return new ResourceSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }
}
