package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.util.List;
import java.util.function.Consumer;

/** --stop-service, --stop-monitor, --stop-all-services, --stop-session and --clear-state. */
final class StopActions {
  private StopActions() {}

  /** Stops one service; a monitor (however named) saves its session and report first. */
  static View stop(BenchmarkOrchestrator orchestrator, String typedId, boolean monitor, Consumer<String> progress) {
    ServiceStatus before = orchestrator.servers().checkServiceStatus(typedId);
    String id = before.serviceId();
    // A Prometheus saves its session and report before it stops, however it is stopped.
    boolean isMonitor = monitor || before.record().isMonitor();
    boolean stopped = isMonitor ? orchestrator.monitors().stopMonitor(id, progress)
        : orchestrator.servers().stopService(id);
    ServiceStatus after = orchestrator.servers().checkServiceStatus(id);
    return new View(() -> (stopped ? "Stopped " + id : "Service " + id + " had already ended")
            + " (" + after.state() + ")\n",
        () -> Printer.object().put("service_id", id).put("stopped", stopped).put("state", after.state().name()));
  }

  /** Stops every running service and monitor. */
  static View stopAll(BenchmarkOrchestrator orchestrator, Consumer<String> progress) {
    List<String> stopped = orchestrator.stopAll(progress);
    return new View(() -> stopped.isEmpty() ? "No running services.\n" : "Stopped " + String.join(", ", stopped) + "\n",
        () -> Printer.object().set("stopped", Printer.array(stopped)));
  }

  /** Stops every service of a session, monitors first. */
  static View stopSession(BenchmarkOrchestrator orchestrator, String sessionId, Consumer<String> progress) {
    List<String> stopped = orchestrator.stopSession(sessionId, progress);
    return new View(() -> "Stopped session " + sessionId + (stopped.isEmpty() ? " (nothing was running)"
            : ": " + String.join(", ", stopped)) + "\n",
        () -> Printer.object().<ObjectNode>put("session_id", sessionId).set("stopped", Printer.array(stopped)));
  }

  /** Forgets the services that have ended. */
  static View clearState(BenchmarkOrchestrator orchestrator) {
    var c = orchestrator.servers().clearState();
    return new View(() -> c.summary() + "\n", () -> Printer.object().put("forgotten", c.forgotten())
        .put("folders_removed", c.foldersRemoved()).put("bytes_freed", c.bytesFreed()));
  }
}
