package io.github.hpcorchestrator;

import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.QueryResultTable;
import io.github.hpcorchestrator.recipe.MonitoringTarget;
import io.github.hpcorchestrator.recipe.Recipe;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The README's first command: start a node exporter from its recipe, start a Prometheus that
 * monitors it, query {@code up}, and stop both. Uses only the public API.
 */
public final class QuickstartDemo {
  private final BenchmarkOrchestrator orchestrator;
  private final PrintWriter out;

  public QuickstartDemo(BenchmarkOrchestrator orchestrator, PrintWriter out) {
    this.orchestrator = orchestrator;
    this.out = out;
  }

  /**
   * Runs the demo with recipes from {@code recipesDir}; true when every target answered up = 1.
   *
   * @param keep leave both services running instead of stopping them
   */
  public boolean run(Path recipesDir, boolean keep) {
    Recipe exporterRecipe = orchestrator.loadRecipe(recipesDir.resolve("node_exporter.yaml"));
    say("1. Starting a node exporter from " + exporterRecipe.source());
    String exporter = orchestrator.startBenchmarkSession(exporterRecipe).serviceIds().get(0);
    String prometheus = null;
    try {
      say("   " + exporter + " answers at " + orchestrator.servers().getServiceEndpoint(exporter).api());
      Recipe prometheusRecipe = orchestrator.loadRecipe(recipesDir.resolve("prometheus.yaml"));
      ServiceSpec base = prometheusRecipe.services().get(0);
      ServiceSpec watching = new ServiceSpec(base.name(), base.description(), base.command(), base.args(),
          base.container(), base.resources(), base.environment(), base.ports(), base.healthCheck(),
          List.of(new MonitoringTarget(Optional.of(exporter), Optional.empty(), "node", Optional.empty(), "/metrics")),
          Optional.of("2s"));
      say("2. Starting Prometheus from " + prometheusRecipe.source() + " with " + exporter + " as its target");
      prometheus = orchestrator.startBenchmarkSession(new Recipe(prometheusRecipe.source(), List.of(watching)))
          .serviceIds().get(0);
      say("   " + prometheus + " answers at " + orchestrator.servers().getServiceEndpoint(prometheus).api());
      say("3. Query: up");
      QueryResult up = orchestrator.monitors().queryMetrics(prometheus, "up");
      out.print(new QueryResultTable().render(up));
      boolean allUp = !up.series().isEmpty() && up.series().stream()
          .allMatch(s -> s.samples().get(s.samples().size() - 1).value().equals("1"));
      say(allUp ? "   Every target is up." : "   Some target is not up.");
      return allUp;
    } finally {
      if (keep) {
        say("4. Leaving " + exporter + (prometheus == null ? "" : " and " + prometheus)
            + " running; stop them with --stop-service ID");
      } else {
        say("4. Stopping both services");
        if (prometheus != null) {
          orchestrator.servers().stopService(prometheus);
        }
        orchestrator.servers().stopService(exporter);
        say("   Done.");
      }
    }
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }
}
