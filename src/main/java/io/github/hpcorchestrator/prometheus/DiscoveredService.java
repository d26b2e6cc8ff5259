package io.github.hpcorchestrator.prometheus;

import java.util.Map;

/**
 * A running service as target discovery sees it.
 *
 * @param serviceId full service ID
 * @param name its recipe service name
 * @param jobId scheduler job ID
 * @param node node it runs on
 * @param host host to scrape it at
 * @param port its main port
 * @param sessionId the session that started it ("" if unknown)
 * @param sidecarPorts ports of its sidecars (exporters), by sidecar name
 * @param requestedPort the port its recipe asked for ({@code port} differs when that was taken)
 */
public record DiscoveredService(String serviceId, String name, String jobId, String node, String host, int port,
    String sessionId, Map<String, Integer> sidecarPorts, int requestedPort) {
  public DiscoveredService {
    sidecarPorts = Map.copyOf(sidecarPorts);
  }
}
