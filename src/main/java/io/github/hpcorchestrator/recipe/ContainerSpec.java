package io.github.hpcorchestrator.recipe;

import java.util.List;
import java.util.Optional;

/**
 * Container image for a service: an Apptainer image at {@code imagePath}, built from
 * {@code dockerSource} when missing.
 *
 * @param options words passed to {@code apptainer exec} as written, each one argv word
 *     ({@code --cleanenv}, {@code --bind=/data:/data})
 */
public record ContainerSpec(Optional<String> dockerSource, Optional<String> imagePath, List<String> options) {
  public ContainerSpec {
    options = List.copyOf(options);
  }

  /** A container without exec options. */
  public ContainerSpec(Optional<String> dockerSource, Optional<String> imagePath) {
    this(dockerSource, imagePath, List.of());
  }

  /** The same container with its image at {@code path}. */
  public ContainerSpec withImagePath(String path) {
    return new ContainerSpec(dockerSource, Optional.of(path), options);
  }
}
