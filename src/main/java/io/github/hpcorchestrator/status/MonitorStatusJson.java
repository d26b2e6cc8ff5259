package io.github.hpcorchestrator.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON form of a {@link MonitorStatus}, shared by the CLI and reports. */
public final class MonitorStatusJson {
  private MonitorStatusJson() {}

  /**
   * Puts status, job_id, nodes, submitted_at(_iso) and started_at(_iso) into {@code node}; times are
   * plain epoch seconds, started_at null until it ran.
   */
  public static ObjectNode write(MonitorStatus s, ObjectNode node) {
    node.put("status", s.status());
    node.put("job_id", s.jobId());
    ArrayNode nodes = node.putArray("nodes");
    s.nodes().forEach(nodes::add);
    node.put("submitted_at", EpochSeconds.plain(s.submittedAt()));
    node.put("submitted_at_iso", EpochSeconds.iso(s.submittedAt()));
    if (s.startedAt().isPresent()) {
      node.put("started_at", EpochSeconds.plain(s.startedAt().get()));
      node.put("started_at_iso", EpochSeconds.iso(s.startedAt().get()));
    } else {
      node.putNull("started_at");
      node.putNull("started_at_iso");
    }
    return node;
  }
}
