package io.github.hpcorchestrator.cluster;

import io.github.hpcorchestrator.recipe.ContainerSpec;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a scheduler needs to run one service, backend-neutral. The token {@link #PORT_TOKEN}
 * in {@code argv}, environment values and files is replaced by the port the job really gets;
 * {@link #DIR_TOKEN} and {@link #LISTEN_TOKEN} likewise.
 *
 * @param serviceId the service ID, also the job's name
 * @param argv command and arguments
 * @param environment extra environment variables
 * @param requestedPort the port asked for; the job may get another one if it is taken
 * @param resources scheduler resources
 * @param container optional container image
 * @param files files to place in the service's directory before start (relative name to content);
 *     {@code {service_dir}} and the port token inside them are replaced as in argv
 */
public record JobSpec(
    String serviceId,
    List<String> argv,
    Map<String, String> environment,
    int requestedPort,
    ResourceSpec resources,
    Optional<ContainerSpec> container,
    Map<String, String> files) {

  /** Placeholder for the job's real port. */
  public static final String PORT_TOKEN = "{port}";

  /** Placeholder for the address a service should listen on (loopback locally, all on a node). */
  public static final String LISTEN_TOKEN = "{listen_address}";

  /** Placeholder for a folder on the node's local disk (on the local backend: inside the service folder). */
  public static final String SCRATCH_TOKEN = "{scratch_dir}";

  /** Placeholder for the job's directory on the side where it runs. */
  public static final String DIR_TOKEN = "{service_dir}";

  public JobSpec {
    argv = List.copyOf(argv);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
  }
}
