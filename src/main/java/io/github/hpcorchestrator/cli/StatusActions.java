package io.github.hpcorchestrator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.SystemStatus;
import io.github.hpcorchestrator.prometheus.TargetHealth;
import io.github.hpcorchestrator.service.ServiceStatus;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.status.MonitorStatusJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** --status, --list-running-services, --list-monitors and --monitor-status. */
final class StatusActions {
  private StatusActions() {}

  /** Every service and monitor, monitors with their targets' up/total counts where readable. */
  static View status(BenchmarkOrchestrator orchestrator, Consumer<String> progress) {
    SystemStatus status = orchestrator.getSystemStatus();
    // The clients' progress (one remote stat) is read while the monitors are probed (HTTP):
    // neither waits for the other.
    CompletableFuture<Map<String, String>> progressing =
        CompletableFuture.supplyAsync(() -> ClientWaitAction.progress(orchestrator, status.services()));
    Map<String, String> counts = new LinkedHashMap<>();
    // All at once, each within limits.status_timeout: a frozen monitor must not cost 30 s per monitor.
    orchestrator.monitors().probeTargets(status.monitors()).forEach((id, probe) -> probe.targets().ifPresentOrElse(
        targets -> counts.put(id, targets.stream().filter(t -> t.health() == TargetHealth.Health.UP).count() + "/"
            + targets.size()),
        () -> progress.accept("cannot read targets of " + id + ": " + probe.failure())));
    StatusView view = new StatusView(Instant.now());
    Map<String, String> clients;
    try {
      clients = progressing.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    return new View(() -> view.text(status, counts) + ClientWaitAction.progressText(clients), () -> {
      ObjectNode root = view.json(status, counts);
      clients.forEach(root.withObject("/client_progress")::put);
      return root;
    });
  }

  /** The services that are pending or running. */
  static View listRunning(BenchmarkOrchestrator orchestrator) {
    List<ServiceStatus> running = orchestrator.servers().listRunningServices();
    StatusView view = new StatusView(Instant.now());
    return new View(() -> running.isEmpty() ? "No running services.\n"
            : String.join("\n", running.stream().map(s -> s.serviceId() + "  " + s.state()
                + "  " + s.record().node()).toList()) + "\n",
        () -> {
          ArrayNode rows = JsonNodeFactory.instance.arrayNode();
          running.forEach(s -> rows.add(view.row(s)));
          return Printer.object().set("services", rows);
        });
  }

  /** Running monitors and the monitor kinds available. */
  static View listMonitors(BenchmarkOrchestrator orchestrator) {
    List<String> running = orchestrator.monitors().listRunningMonitors();
    List<String> available = orchestrator.monitors().listAvailableMonitors();
    return new View(() -> "Running monitors: " + (running.isEmpty() ? "(none)" : String.join(", ", running))
            + "\nAvailable monitor kinds: " + String.join(", ", available) + "\n",
        () -> Printer.object().<ObjectNode>set("running", Printer.array(running))
            .set("available", Printer.array(available)));
  }

  /** One monitor's status and, while it runs, its targets. */
  static View monitorStatus(BenchmarkOrchestrator orchestrator, String typedId) {
    MonitorStatus status = orchestrator.monitors().checkMonitorStatus(typedId);
    List<TargetHealth> targets = status.status().equals("running")
        ? orchestrator.monitors().targets(status.monitorId()) : List.of();
    return new View(() -> {
      StringBuilder text = new StringBuilder();
      text.append("Monitor ").append(status.monitorId()).append(": ").append(status.status())
          .append(" (job ").append(status.jobId()).append(", nodes ").append(String.join(",", status.nodes()))
          .append(")\n");
      for (TargetHealth t : targets) {
        text.append("  ").append(t.job()).append("  ").append(t.instance()).append("  ")
            .append(t.health().name().toLowerCase(Locale.ROOT))
            .append(t.lastError().isEmpty() ? "" : "  " + t.lastError()).append('\n');
      }
      return text.toString();
    }, () -> {
      ObjectNode root = Printer.object().put("monitor_id", status.monitorId());
      MonitorStatusJson.write(status, root);
      ArrayNode rows = root.putArray("targets");
      for (TargetHealth t : targets) {
        rows.addObject().put("job", t.job()).put("instance", t.instance())
            .put("health", t.health().name().toLowerCase(Locale.ROOT)).put("last_error", t.lastError());
      }
      return root;
    });
  }
}
