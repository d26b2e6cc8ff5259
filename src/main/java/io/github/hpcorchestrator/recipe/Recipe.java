package io.github.hpcorchestrator.recipe;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded recipe file: the services it declares, in start order.
 *
 * @param source the file it was read from
 * @param services at least one service
 */
public record Recipe(Path source, List<ServiceSpec> services) {
  public Recipe {
    services = List.copyOf(services);
  }
}
