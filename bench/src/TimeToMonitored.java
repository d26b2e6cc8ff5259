import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.state.ServiceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Item 3 of BENCHMARKS.md: how soon a Prometheus monitors a target already running (3a) and one
 * started after it (3b).
 */
final class TimeToMonitored {
  private final Bench b;

  TimeToMonitored(Bench b) {
    this.b = b;
  }

  /** 3a, with the exporter {@code exporterId} already running; leaves the last Prometheus running, returns its ID. */
  String targetRunning(String exporterId) throws Exception {
    int scrape = 2;
    Path recipe = b.work.resolve("prometheus.yaml");
    Files.writeString(recipe, String.join("\n",
        "service:",
        "  name: prometheus",
        // Plain HTTP, so the original's path (curl on the login node, no credentials) reaches the
        // same Prometheus: the figures compare transports, not TLS.
        "  auth: false",
        "  scrape_interval: " + scrape + "s",
        "  monitoring_targets:",
        "    - service_id: \"" + exporterId.substring(exporterId.length() - 8) + "\"",
        "      job_name: node",
        "  ports: [9090]",
        ""));
    List<Double> total = new ArrayList<>();
    List<Double> own = new ArrayList<>();
    List<Double> cliMs = new ArrayList<>();
    String promId = null;
    for (int i = 0; i < b.iterations; i++) {
      if (promId != null) {
        b.api2.servers().stopService(promId);
      }
      Bench.log("3a: --recipe prometheus, iteration " + (i + 1));
      long t0 = System.nanoTime();
      Bench.Proc p = b.cli(b.cfg2, "--recipe", recipe.toString(), "--output", "json");
      cliMs.add(p.ms());
      promId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out()).at("/services/0/service_id")
          .asText();
      PrometheusClient client = b.api2.monitors().client(promId);
      while (!Bench.upOf(client.query("up{job=\"node\"}"), "node").equals(Optional.of("1"))) {
        if (Figures.since(t0) > 300_000) {
          throw new IllegalStateException("up never became 1");
        }
        Thread.sleep(20);
      }
      total.add(Figures.since(t0));
      own.add(prometheusStartToReady(promId));
    }
    double rest = Figures.median(total) - Figures.median(own);
    b.report.row("3a", "time to monitored, target already running (`--recipe` of a Prometheus, scrape 2 s, to first "
            + "query with up=1), minus Prometheus's own start-to-ready (" + Figures.ms(Figures.median(own)) + ")",
        Figures.ms(rest) + " (total " + Figures.ms(Figures.median(total)) + "; the `--recipe` CLI call alone "
            + Figures.ms(Figures.median(cliMs)) + ")",
        "", "", "<= scrape interval + 1 s = " + (scrape + 1) + " s", rest <= (scrape + 1) * 1000.0);
    return promId;
  }

  /** Prometheus's own log: "Starting Prometheus" to "Server is ready to receive web requests". */
  private double prometheusStartToReady(String promId) throws IOException {
    ServiceRecord r = b.api2.servers().checkServiceStatus(promId).record();
    Path log = Path.of(r.serviceDir(), "slurm-" + r.jobId() + ".out");
    Instant start = null;
    Instant ready = null;
    for (String line : Files.readAllLines(log)) {
      int ts = line.indexOf("ts=");
      if (ts < 0) {
        continue;
      }
      String t = line.substring(ts + 3).split(" ", 2)[0];
      if (start == null && line.contains("Starting Prometheus")) {
        start = Instant.parse(t);
      } else if (ready == null && line.contains("Server is ready to receive web requests")) {
        ready = Instant.parse(t);
      }
    }
    if (start == null || ready == null) {
      throw new IllegalStateException("no start/ready lines in " + log);
    }
    return Duration.between(start, ready).toNanos() / 1e6;
  }

  /** 3b: exporters started after a Prometheus that follows them, found by its discovery sidecar. */
  void targetStartedLater() throws Exception {
    int scrape = 2;
    ServiceSpec prom = new ServiceSpec("prometheus", "", Optional.empty(), List.of(), Optional.empty(),
        ResourceSpec.none(), Map.of(), List.of(9090), Optional.empty(),
        List.of(new io.github.hpcorchestrator.recipe.MonitoringTarget(Optional.empty(), Optional.empty(),
            Optional.of("node_exporter"), false, "late", Optional.empty(), "/metrics")),
        Optional.of(scrape + "s"));
    Bench.log("3b: starting a Prometheus that follows every node_exporter");
    String promId = b.api2.servers().startService(prom, "session_bench", "bench", true);
    PrometheusClient client = b.api2.monitors().client(promId);
    ServiceSpec exporter = b.api1.loadRecipe(b.repo.resolve("recipes/services/node_exporter.yaml")).services().get(0);
    List<Double> seen = new ArrayList<>();
    try (BenchmarkOrchestrator api3 = b.api(b.cfg3)) {
      for (int i = 0; i < b.iterations; i++) {
        Bench.log("3b: new exporter on " + b.nodes.get(2) + ", iteration " + (i + 1));
        String id = api3.servers().startService(exporter, "session_bench", "bench", false);
        Path connection = b.remoteDir().resolve("services").resolve(id).resolve("connection");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(connection) && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        String node = b.nodes.get(2);
        while (true) {
          boolean up = false;
          for (Series s : client.query("up{job=\"late\"}").series()) {
            // By service_id: the previous iteration's exporter had the same node and port, and its
            // target answers for the new process until discovery drops it.
            up |= id.equals(s.metric().get("service_id")) && s.metric().getOrDefault("instance", "").startsWith(node + ":")
                && !s.samples().isEmpty() && s.samples().get(0).value().equals("1");
          }
          if (up) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the late target never became up");
          }
          Thread.sleep(20);
        }
        Instant published = Files.getLastModifiedTime(connection).toInstant();
        seen.add(Duration.between(published, Instant.now()).toNanos() / 1e6);
        api3.servers().stopService(id);
      }
    }
    b.api2.servers().stopService(promId);
    double m = Figures.median(seen);
    b.report.row("3b", "time to monitored, target started after Prometheus (its job wrote its connection file -> first "
        + "query with its up=1), discovery interval 2 s, scrape 2 s", Figures.ms(m), "", "",
        "<= discovery + scrape interval = " + (2 * scrape) + " s", m <= 2 * scrape * 1000.0);
  }
}
