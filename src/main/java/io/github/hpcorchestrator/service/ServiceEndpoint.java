package io.github.hpcorchestrator.service;

/**
 * Where a running service answers.
 *
 * @param serviceId the service
 * @param host the node host name as the scheduler's side resolves it
 * @param port the port it really listens on
 * @param api base URL of its API
 * @param ui URL of its web UI (Prometheus: /graph; others: the API URL)
 */
public record ServiceEndpoint(String serviceId, String host, int port, String api, String ui) {

  /** The same endpoint over HTTPS (a monitor with auth answers HTTPS only). */
  public ServiceEndpoint https() {
    return new ServiceEndpoint(serviceId, host, port, api.replaceFirst("^http:", "https:"),
        ui.replaceFirst("^http:", "https:"));
  }

  /** The endpoint of {@code serviceId} listening at {@code host:port}. */
  public static ServiceEndpoint of(String serviceId, String name, String host, int port) {
    String api = "http://" + host + ":" + port;
    return new ServiceEndpoint(serviceId, host, port, api, name.equals("prometheus") ? api + "/graph" : api);
  }
}
