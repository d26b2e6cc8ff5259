package io.github.hpcorchestrator.cluster;

import java.util.Map;

/**
 * Where a running service listens, as its job recorded it in its connection file.
 *
 * @param host node host name, as the scheduler's side resolves it
 * @param port the port the service really got; 0 for a service that asked for none
 * @param jobId the job that runs it
 * @param sidecarPorts the ports its sidecars got, by sidecar name
 * @param requestedPort the port the recipe asked for (equal to {@code port} unless it was taken)
 */
public record Connection(String host, int port, String jobId, Map<String, Integer> sidecarPorts, int requestedPort) {
  public Connection {
    sidecarPorts = Map.copyOf(sidecarPorts);
  }

  /** A connection without sidecars, on the port it asked for. */
  public Connection(String host, int port, String jobId) {
    this(host, port, jobId, Map.of(), port);
  }
}
