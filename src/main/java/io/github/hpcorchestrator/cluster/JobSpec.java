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
 * @param requestedPort the port asked for; the job may get another one if it is taken. 0: the
 *     service asks for no port, gets none ({@link #PORT_TOKEN} becomes empty) and has no endpoint
 * @param resources scheduler resources
 * @param container optional container image
 * @param files files to place in the service's directory before start (relative name to content);
 *     {@code {service_dir}} and the port token inside them are replaced as in argv
 * @param sidecars helper processes started next to the service in the same job
 * @param setup the recipe's shell lines, run as written at the start of the job (after the
 *     backend's own, e.g. slurm.setup)
 * @param containerRuntime the program that runs {@code container}: "apptainer" or "singularity"
 */
public record JobSpec(
    String serviceId,
    List<String> argv,
    Map<String, String> environment,
    int requestedPort,
    ResourceSpec resources,
    Optional<ContainerSpec> container,
    Map<String, String> files,
    List<Sidecar> sidecars,
    List<String> setup,
    String containerRuntime) {

  /** The container runtime a job uses unless told otherwise. */
  public static final String APPTAINER = "apptainer";

  /** Placeholder for the job's real port. */
  public static final String PORT_TOKEN = "{port}";

  /** Seconds a service's sidecars outlive a service that ended by itself, so monitors record it down. */
  public static final int SIDECAR_LINGER_SECONDS = 10;

  /** Placeholder, in a sidecar's argv and environment, for the sidecar's own port. */
  public static final String SIDECAR_PORT_TOKEN = "{sidecar_port}";

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
    sidecars = List.copyOf(sidecars);
    setup = List.copyOf(setup);
  }

  /** A job without setup lines. */
  public JobSpec(String serviceId, List<String> argv, Map<String, String> environment, int requestedPort,
      ResourceSpec resources, Optional<ContainerSpec> container, Map<String, String> files, List<Sidecar> sidecars) {
    this(serviceId, argv, environment, requestedPort, resources, container, files, sidecars, List.of(), APPTAINER);
  }

  /** Whether the service asked for a port (a recipe without ports of a kind without a default asks for none). */
  public boolean hasPort() {
    return requestedPort > 0;
  }

  /** A job without sidecars. */
  public JobSpec(String serviceId, List<String> argv, Map<String, String> environment, int requestedPort,
      ResourceSpec resources, Optional<ContainerSpec> container, Map<String, String> files) {
    this(serviceId, argv, environment, requestedPort, resources, container, files, List.of(), List.of(), APPTAINER);
  }

  /** The same job with one more sidecar. */
  public JobSpec withSidecar(Sidecar sidecar) {
    List<Sidecar> more = new java.util.ArrayList<>(sidecars);
    more.add(sidecar);
    return new JobSpec(serviceId, argv, environment, requestedPort, resources, container, files, more, setup,
        containerRuntime);
  }

  /** The same job with one more file in its folder. */
  public JobSpec withFile(String name, String content) {
    Map<String, String> more = new java.util.LinkedHashMap<>(files);
    more.put(name, content);
    return new JobSpec(serviceId, argv, environment, requestedPort, resources, container, more, sidecars, setup,
        containerRuntime);
  }

  /** The same job with {@code lines} as its setup lines. */
  public JobSpec withSetup(List<String> lines) {
    return new JobSpec(serviceId, argv, environment, requestedPort, resources, container, files, sidecars, lines,
        containerRuntime);
  }

  /** The same job with {@code other} as its container, run by {@code runtime}. */
  public JobSpec withContainer(Optional<ContainerSpec> other, String runtime) {
    return new JobSpec(serviceId, argv, environment, requestedPort, resources, other, files, sidecars, setup, runtime);
  }
}
