package io.github.hpcorchestrator.service;

import io.github.hpcorchestrator.cluster.JobSpec;
import io.github.hpcorchestrator.cluster.Sidecar;
import io.github.hpcorchestrator.recipe.HealthCheck;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The exporters a recipe asks for ({@code exporters: [probe, node, gpu, ollama]}), as sidecars of
 * the service's job: same node, own port each, gone with the service. Monitors that target the
 * service scrape them as {@code <job>-probe}, {@code <job>-node}, ... with the service's labels.
 */
final class ExporterSidecars {
  private static final String LISTEN = "--listen=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.SIDECAR_PORT_TOKEN;
  private static final String SERVICE_URL = "http://127.0.0.1:" + JobSpec.PORT_TOKEN;

  private ExporterSidecars() {}

  /** {@code job} with one sidecar per exporter of {@code spec}. */
  static JobSpec add(JobSpec job, ServiceSpec spec, ServiceKind kind, LaunchContext context) {
    JobSpec out = job;
    for (String exporter : spec.exporters()) {
      List<String> argv = new ArrayList<>();
      switch (exporter) {
        case "probe" -> {
          String endpoint = spec.healthCheck().map(HealthCheck::endpoint)
              .or(kind::defaultHealthEndpoint).orElse("/");
          argv.addAll(context.javaCommand("io.github.hpcorchestrator.exporter.ProbeMain"));
          argv.addAll(List.of(LISTEN, "--target=" + SERVICE_URL + endpoint));
        }
        case "node" -> {
          argv.add(context.executable("node_exporter"));
          argv.add("--web.listen-address=" + JobSpec.LISTEN_TOKEN + ":" + JobSpec.SIDECAR_PORT_TOKEN);
        }
        case "gpu" -> {
          argv.addAll(context.javaCommand("io.github.hpcorchestrator.exporter.GpuMain"));
          argv.add(LISTEN);
        }
        case "ollama" -> {
          argv.addAll(context.javaCommand("io.github.hpcorchestrator.exporter.OllamaMain"));
          argv.addAll(List.of(LISTEN, "--target=" + SERVICE_URL));
        }
        default -> throw new IllegalArgumentException("unknown exporter " + exporter);
      }
      out = out.withSidecar(new Sidecar(exporter, argv, Map.of(), true));
    }
    return out;
  }
}
