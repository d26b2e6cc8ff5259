package io.github.hpcorchestrator.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parser for the connection file a job writes once its service started: {@code key=value} lines
 * with {@code host}, {@code port}, {@code job_id} and one {@code sidecar.<name>.port} per sidecar.
 * An empty {@code port=} is a service whose recipe asked for no port: it runs, with no endpoint.
 */
public final class ConnectionFile {
  private ConnectionFile() {}

  /** The connection described by {@code text}, or empty if the file is absent or incomplete. */
  public static Optional<Connection> parse(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    String host = values.get("host");
    String port = values.get("port");
    String jobId = values.getOrDefault("job_id", "");
    if (host == null || host.isEmpty() || port == null || !port.matches("\\d{0,5}")) {
      return Optional.empty();
    }
    if (port.isEmpty()) {
      port = "0";
    }
    Map<String, Integer> sidecars = new java.util.TreeMap<>();
    values.forEach((key, value) -> {
      if (key.startsWith("sidecar.") && key.endsWith(".port") && value.matches("\\d{1,5}")) {
        sidecars.put(key.substring("sidecar.".length(), key.length() - ".port".length()), Integer.parseInt(value));
      }
    });
    String requested = values.getOrDefault("requested_port", port);
    return Optional.of(new Connection(host, Integer.parseInt(port), jobId, sidecars,
        requested.matches("\\d{1,5}") ? Integer.parseInt(requested) : Integer.parseInt(port)));
  }
}
