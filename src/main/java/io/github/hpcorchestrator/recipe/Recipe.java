package io.github.hpcorchestrator.recipe;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded recipe file: the services it declares, in start order, and the benchmark clients that start
 * once their targets are ready.
 *
 * @param source the file it was read from
 * @param services the services; at least one unless the recipe holds clients
 * @param clients benchmark clients, in start order; may be empty
 */
public record Recipe(Path source, List<ServiceSpec> services, List<ClientSpec> clients) {
  public Recipe {
    services = List.copyOf(services);
    clients = List.copyOf(clients);
  }

  /** A recipe of services only. */
  public Recipe(Path source, List<ServiceSpec> services) {
    this(source, services, List.of());
  }
}
