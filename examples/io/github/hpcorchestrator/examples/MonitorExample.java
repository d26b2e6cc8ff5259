package io.github.hpcorchestrator.examples;

import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.status.MonitorStatus;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.recipe.MonitoringTarget;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.service.ServiceStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The spec's monitor example through the Java API: start a service, start a Prometheus monitoring
 * it, look at status and endpoints, query, and clean up.
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp 'target/hpc-orchestrator.jar:target/lib/*' io.github.hpcorchestrator.examples.MonitorExample [config.yaml]}
 */
public final class MonitorExample {
  private MonitorExample() {}

  public static void main(String[] args) {
    Path config = Path.of(args.length > 0 ? args[0] : "config.yaml");
    try (BenchmarkOrchestrator orchestrator = new BenchmarkOrchestrator(config)) {
      Path recipes = orchestrator.config().recipesDir();

      // 1. Start the service to monitor; start returns once it answers its health check.
      Recipe exporterRecipe = orchestrator.loadRecipe(recipes.resolve("node_exporter.yaml"));
      String exporter = orchestrator.servers().startService(exporterRecipe.services().get(0));
      List<String> started = new ArrayList<>(List.of(exporter));
      try {
        System.out.println("service " + exporter + " on " + orchestrator.servers().getServiceHost(exporter).orElse("?"));

        // 2. Start Prometheus with that service as its monitoring target (port: the service's own).
        ServiceSpec prometheus = orchestrator.loadRecipe(recipes.resolve("prometheus.yaml")).services().get(0);
        ServiceSpec watching = new ServiceSpec(prometheus.name(), prometheus.description(), prometheus.command(),
            prometheus.args(), prometheus.container(), prometheus.resources(), prometheus.environment(),
            prometheus.ports(), prometheus.healthCheck(),
            List.of(new MonitoringTarget(Optional.of(exporter), Optional.empty(), "node", Optional.empty(), "/metrics")),
            Optional.of("2s"));
        String monitor = orchestrator.monitors().startMonitor(watching);
        started.add(0, monitor);

        // 3. Status and endpoints.
        MonitorStatus status = orchestrator.monitors().checkMonitorStatus(monitor);
        System.out.println("monitor " + status.monitorId() + ": " + status.status() + " on " + status.nodes());
        System.out.println("Prometheus at " + orchestrator.monitors().getMonitorEndpoint(monitor).orElse("?"));
        for (ServiceStatus s : orchestrator.getSystemStatus().services()) {
          System.out.println("  " + s.serviceId() + " " + s.state());
        }

        // 4. Queries: availability and Prometheus's own memory.
        for (String query : List.of("up", "process_resident_memory_bytes")) {
          QueryResult result = orchestrator.monitors().queryMetrics(monitor, query);
          result.series().forEach(series -> System.out.println(query + " " + series.metric().get("job") + " = "
              + series.samples().get(series.samples().size() - 1).value()));
        }

        // 5. Clean up: monitors first, then the service.
        orchestrator.monitors().stopMonitor(monitor);
        orchestrator.servers().stopService(exporter);
        started.clear();
        System.out.println("running monitors after stop: " + orchestrator.monitors().listRunningMonitors());
      } finally {
        // A failure midway stops what this program started (monitor first), so nothing is left running.
        for (String id : started) {
          stopQuietly(orchestrator, id);
        }
      }
    }
  }

  private static void stopQuietly(BenchmarkOrchestrator orchestrator, String serviceId) {
    try {
      if (orchestrator.servers().stopService(serviceId)) {
        System.err.println("stopped " + serviceId + " after the failure");
      }
    } catch (RuntimeException e) {
      System.err.println("could not stop " + serviceId + ": " + e.getMessage() + "; stop it with --stop-service "
          + serviceId);
    }
  }
}
