package io.github.hpcorchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.hpcorchestrator.SystemStatus;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.JobStatus;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  private static final Instant NOW = Instant.parse("2025-03-04T12:00:00Z");
  private final StatusView view = new StatusView(NOW);

  private static ServiceStatus running(String id, String name, String jobId, long secondsAgo, int port) {
    ServiceRecord r = new ServiceRecord(id, name, "session_1", "local", jobId, "/s/" + id, port, JobState.RUNNING,
        "node1", "localhost", port, Optional.empty(), NOW.minusSeconds(secondsAgo + 5),
        Optional.of(NOW.minusSeconds(secondsAgo)), Optional.empty(), "r.yaml");
    JobStatus job = new JobStatus(JobState.RUNNING, "", Optional.empty(), List.of("node1"),
        r.startedAt(), List.of());
    return new ServiceStatus(r, job, Optional.of(ServiceEndpoint.of(id, name, "localhost", port)));
  }

  private static ServiceStatus failed() {
    ServiceRecord r = new ServiceRecord("failing_job_0000abcd", "failing_job", "session_2", "local", "777",
        "/s/failing_job_0000abcd", 8000, JobState.FAILED, "node1", "localhost", 8000, Optional.of(4),
        NOW.minusSeconds(100), Optional.of(NOW.minusSeconds(90)), Optional.of(NOW.minusSeconds(80)), "f.yaml");
    JobStatus job = new JobStatus(JobState.FAILED, "exited with code 4", Optional.of(4), List.of("node1"),
        r.startedAt(), List.of("boom"));
    return new ServiceStatus(r, job, Optional.empty());
  }

  private static SystemStatus system() {
    ServiceStatus exporter = running("node_exporter_6355d49f", "node_exporter", "4242", 75, 9100);
    ServiceStatus prometheus = running("prometheus_0a1b2c3d", "prometheus", "4300", 3725, 9090);
    return new SystemStatus("local", List.of(exporter, prometheus, failed()), List.of(prometheus));
  }

  @Test
  void textTableListsServicesThenMonitorsWithTheirSession() {
    assertThat(view.text(system(), Map.of("prometheus_0a1b2c3d", "2/2"))).isEqualTo("""
        Services:
               4242 | node_exporter_6355d49f | session_1 |    RUNNING |     1:15 | node1 | http://localhost:9100
               4300 | prometheus_0a1b2c3d    | session_1 |    RUNNING |  1:02:05 | node1 | http://localhost:9090
                777 | failing_job_0000abcd   | session_2 |     FAILED |     0:10 | node1 (exited with code 4)

        Monitors:
               4300 | prometheus_0a1b2c3d | session_1 |    RUNNING |  1:02:05 | node1 | http://localhost:9090 | targets up 2/2
        """);
  }

  @Test
  void emptyStatusSaysNone() {
    assertThat(view.text(new SystemStatus("local", List.of(), List.of()), Map.of())).isEqualTo("""
        Services:
           (none)

        Monitors:
           (none)
        """);
  }

  @Test
  void jsonHasTheDocumentedFields() throws Exception {
    String json = new ObjectMapper().writeValueAsString(view.json(system(), Map.of("prometheus_0a1b2c3d", "1/2")));

    assertThat(new ObjectMapper().readTree(json)).isEqualTo(new ObjectMapper().readTree("""
        {"backend": "local",
         "services": [
           {"service_id": "node_exporter_6355d49f", "name": "node_exporter", "job_id": "4242", "state": "RUNNING",
            "elapsed": "1:15", "node": "node1", "endpoint": "http://localhost:9100", "session_id": "session_1",
            "reason": ""},
           {"service_id": "prometheus_0a1b2c3d", "name": "prometheus", "job_id": "4300", "state": "RUNNING",
            "elapsed": "1:02:05", "node": "node1", "endpoint": "http://localhost:9090", "session_id": "session_1",
            "reason": ""},
           {"service_id": "failing_job_0000abcd", "name": "failing_job", "job_id": "777", "state": "FAILED",
            "elapsed": "0:10", "node": "node1", "endpoint": null, "session_id": "session_2",
            "reason": "exited with code 4", "exit_code": 4, "log_tail": ["boom"]}],
         "monitors": [
           {"service_id": "prometheus_0a1b2c3d", "name": "prometheus", "job_id": "4300", "state": "RUNNING",
            "elapsed": "1:02:05", "node": "node1", "endpoint": "http://localhost:9090", "session_id": "session_1",
            "reason": "", "targets_up": 1, "targets_total": 2}]}
        """));
  }

  @Test
  void endpointTextAndJson() throws Exception {
    ServiceEndpoint e = ServiceEndpoint.of("prometheus_0a1b2c3d", "prometheus", "node1", 9091);

    assertThat(StatusView.endpointText("0a1b2c3d", "prometheus", e)).isEqualTo("""
        Prometheus endpoint for service 0a1b2c3d:
          Host: node1
          API: http://node1:9091
          UI: http://node1:9091/graph
        """);
    assertThat(StatusView.endpointJson(e)).isEqualTo(new ObjectMapper().readTree("""
        {"service_id": "prometheus_0a1b2c3d", "host": "node1", "port": 9091, "api": "http://node1:9091",
         "ui": "http://node1:9091/graph"}
        """));
    assertThat(StatusView.endpointText("node_exporter_6355d49f", "node_exporter",
        ServiceEndpoint.of("node_exporter_6355d49f", "node_exporter", "node1", 9100))).isEqualTo("""
        Endpoint for service node_exporter_6355d49f:
          Host: node1
          API: http://node1:9100
          UI: http://node1:9100
        """);
  }
}
