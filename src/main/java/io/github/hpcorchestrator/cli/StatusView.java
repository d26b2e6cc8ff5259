package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.SystemStatus;
import io.github.hpcorchestrator.report.Durations;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders the system status: the spec's table for people, and the documented JSON for scripts.
 * Monitors may carry their targets' up/down counts.
 */
public final class StatusView {
  private final Instant now;

  public StatusView(Instant now) {
    this.now = now;
  }

  /**
   * The spec's table with the session: {@code job | service_id | session | state | elapsed | node}, services
   * then monitors.
   *
   * @param targetCounts per monitor ID: "up/total" of its targets, when known
   */
  public String text(SystemStatus status, Map<String, String> targetCounts) {
    StringBuilder out = new StringBuilder();
    out.append("Services:\n");
    appendRows(out, status.services(), Map.of());
    out.append("\nMonitors:\n");
    appendRows(out, status.monitors(), targetCounts);
    return out.toString();
  }

  private void appendRows(StringBuilder out, List<ServiceStatus> rows, Map<String, String> extra) {
    if (rows.isEmpty()) {
      out.append("   (none)\n");
      return;
    }
    int idWidth = rows.stream().mapToInt(s -> s.serviceId().length()).max().orElse(10);
    // The session column shows what --stop-session takes.
    int sessionWidth = Math.max(7, rows.stream().mapToInt(s -> s.record().sessionId().length()).max().orElse(7));
    for (ServiceStatus s : rows) {
      String line = String.format("   %8s | %-" + idWidth + "s | %-" + sessionWidth + "s | %10s | %8s | %s",
          s.record().jobId(), s.serviceId(), s.record().sessionId(), s.state(), Durations.elapsed(s.elapsed(now)),
          nodeOrReason(s));
      out.append(line);
      s.endpoint().ifPresent(e -> out.append(" | ").append(e.api()));
      String targets = extra.get(s.serviceId());
      if (targets != null) {
        out.append(" | targets up ").append(targets);
      }
      out.append('\n');
    }
  }

  private static String nodeOrReason(ServiceStatus s) {
    if (!s.job().reason().isEmpty() && !s.state().name().equals("RUNNING")) {
      return (s.record().node().isEmpty() ? "" : s.record().node() + " ") + "(" + s.job().reason() + ")";
    }
    return s.record().node();
  }

  /** {@code {"backend", "services": [...], "monitors": [...]}} with the README's fields. */
  public ObjectNode json(SystemStatus status, Map<String, String> targetCounts) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("backend", status.backend());
    ArrayNode services = root.putArray("services");
    status.services().forEach(s -> services.add(row(s)));
    ArrayNode monitors = root.putArray("monitors");
    for (ServiceStatus s : status.monitors()) {
      ObjectNode row = row(s);
      String counts = targetCounts.get(s.serviceId());
      if (counts != null) {
        String[] parts = counts.split("/");
        row.put("targets_up", Integer.parseInt(parts[0]));
        row.put("targets_total", Integer.parseInt(parts[1]));
      }
      monitors.add(row);
    }
    return root;
  }

  /** One service as JSON: service_id, name, job_id, state, elapsed, node, endpoint, ... */
  public ObjectNode row(ServiceStatus s) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("service_id", s.serviceId());
    row.put("name", s.record().name());
    row.put("job_id", s.record().jobId());
    row.put("state", s.state().name());
    row.put("elapsed", Durations.elapsed(s.elapsed(now)));
    row.put("node", s.record().node());
    if (s.endpoint().isPresent()) {
      row.put("endpoint", s.endpoint().get().api());
    } else {
      row.putNull("endpoint");
    }
    row.put("session_id", s.record().sessionId());
    row.put("reason", s.job().reason());
    if (s.job().exitCode().isPresent()) {
      row.put("exit_code", s.job().exitCode().get());
    }
    if (!s.job().logTail().isEmpty()) {
      ArrayNode tail = row.putArray("log_tail");
      s.job().logTail().forEach(tail::add);
    }
    return row;
  }

  /** The spec's endpoint block. */
  public static String endpointText(String typedId, String name, ServiceEndpoint e) {
    String title = name.equals("prometheus") ? "Prometheus endpoint" : "Endpoint";
    return title + " for service " + typedId + ":\n"
        + "  Host: " + e.host() + "\n"
        + "  API: " + e.api() + "\n"
        + "  UI: " + e.ui() + "\n";
  }

  /** The endpoint as JSON: service_id, host, port, api, ui. */
  public static ObjectNode endpointJson(ServiceEndpoint e) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("service_id", e.serviceId());
    node.put("host", e.host());
    node.put("port", e.port());
    node.put("api", e.api());
    node.put("ui", e.ui());
    return node;
  }
}
