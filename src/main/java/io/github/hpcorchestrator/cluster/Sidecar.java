package io.github.hpcorchestrator.cluster;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A helper process that runs next to a service in the same job, on the same node, and ends with
 * it: an exporter, or a Prometheus's target discovery. Its own port (if it needs one) is picked
 * when the job starts and recorded in the connection file as {@code sidecar.<name>.port}.
 *
 * @param name short name, e.g. "probe"; also names its log file sidecar-NAME.log
 * @param argv command and arguments; {@link JobSpec#SIDECAR_PORT_TOKEN} is its own port, and the
 *     service's tokens ({@code {port}}, {@code {service_dir}}, ...) work as in the service's argv
 * @param environment extra environment variables, with the same tokens
 * @param needsPort whether a port is picked for it
 */
public record Sidecar(String name, List<String> argv, Map<String, String> environment, boolean needsPort) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,30}");

  public Sidecar {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("sidecar name must match " + NAME + ": " + name);
    }
    argv = List.copyOf(argv);
    environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
  }
}
