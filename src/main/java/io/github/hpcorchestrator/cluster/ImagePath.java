package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.recipe.ContainerSpec;

/** Where a container's image lives on the side where jobs run. */
public final class ImagePath {
  private ImagePath() {}

  /**
   * The absolute image path of {@code container}: its image_path ("~" and "$HOME" expanded to
   * {@code home}, relative to {@code root}), else {@code root/images/<docker source>.sif}.
   */
  public static String resolve(ContainerSpec container, String root, String home) {
    if (container.imagePath().isPresent()) {
      String path = SlurmJobScript.expandHome(container.imagePath().get(), home);
      return path.startsWith("/") ? path : root + "/" + path;
    }
    String source = container.dockerSource()
        .orElseThrow(() -> new IllegalArgumentException("a container needs docker_source or image_path"));
    String name = source.replaceFirst("^[a-z]+://", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return root + "/images/" + name + ".sif";
  }
}
