import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Item 1 of BENCHMARKS.md: one CLI query against the original's path (1a), then the library's
 * queries against `ssh curl` (1b) and against direct HTTP (1c).
 */
final class QueryLatency {
  private final Bench b;

  QueryLatency(Bench b) {
    this.b = b;
  }

  /** All three rows, against the running Prometheus {@code promId} (plain HTTP). */
  void run(String promId) throws Exception {
    ServiceEndpoint prom = b.api2.servers().getServiceEndpoint(promId);
    List<Double> cliQ = new ArrayList<>();
    List<Double> sshQ = new ArrayList<>();
    int rounds = b.smoke ? 1 : Math.max(b.iterations, 5);
    for (int i = 0; i < rounds; i++) {
      Bench.log("1a: CLI query vs ssh curl, round " + (i + 1));
      cliQ.add(b.cli(b.cfg1, "--query-service-metrics", promId, "up", "--output", "json").ms());
      sshQ.add(b.sshCurl(prom));
    }
    double a = Figures.median(cliQ);
    double o = Figures.median(sshQ);
    b.report.row("1a", "one CLI query (`./orchestrator --query-service-metrics ID up`, JVM start included) vs the "
        + "original's path (`ssh login \"curl ...\"`)", Figures.ms(a), Figures.ms(o),
        Figures.x(a / o) + " of the original's time",
        "<= 1x (no slower)", a <= o);

    int queries = b.smoke ? 10 : 100;
    int sshSample = b.smoke ? 2 : 5;
    PrometheusClient tunnel = b.api1.monitors().client(promId);
    PrometheusClient direct = PrometheusClient.of(URI.create("http://" + prom.host() + ":" + prom.port()));
    for (int i = 0; i < 20; i++) {
      tunnel.query("up");
      direct.query("up");
    }
    // The first batch of a fresh process also pays for compiling the SSH code: kept as a note.
    long c0 = System.nanoTime();
    for (int q = 0; q < queries; q++) {
      tunnel.query("up");
    }
    double coldTunnel = Figures.since(c0);
    c0 = System.nanoTime();
    for (int q = 0; q < queries; q++) {
      direct.query("up");
    }
    double coldDirect = Figures.since(c0);
    // Then both paths warm up alike until the JIT has compiled them: the rows compare transports.
    int warmUp = b.smoke ? 20 : 1000;
    for (int i = 0; i < warmUp; i++) {
      tunnel.query("up");
      direct.query("up");
    }
    List<Double> lib = new ArrayList<>();
    List<Double> dir = new ArrayList<>();
    List<Double> perSsh = new ArrayList<>();
    for (int i = 0; i < b.iterations; i++) {
      Bench.log("1b/1c: " + queries + " queries through the library and directly, iteration " + (i + 1));
      long t0 = System.nanoTime();
      for (int q = 0; q < queries; q++) {
        tunnel.query("up");
      }
      lib.add(Figures.since(t0));
      t0 = System.nanoTime();
      for (int q = 0; q < queries; q++) {
        direct.query("up");
      }
      dir.add(Figures.since(t0));
      for (int q = 0; q < sshSample; q++) {
        perSsh.add(b.sshCurl(prom));
      }
    }
    double libMs = Figures.median(lib);
    double s = Figures.median(perSsh) * queries;
    b.report.row("1b", queries + " queries through the library in one process (one SSH session, one tunnel) vs "
        + queries + " x `ssh login curl` (" + perSsh.size() + " ssh calls measured, median x " + queries + ")",
        Figures.ms(libMs), Figures.ms(s), Figures.x(s / libMs) + " faster", ">= 50x faster", s / libMs >= 50);
    double d = Figures.median(dir);
    b.report.row("1c", "the same " + queries + " library queries vs direct HTTP to Prometheus from this machine",
        Figures.ms(libMs), Figures.ms(d), Figures.x(libMs / d) + " of direct", "<= 2x of direct", libMs / d <= 2);
    b.report.note("1a: the CLI resolves the ID with one `squeue` over SSH before it queries through a tunnel; "
        + "both sides run " + rounds + " times, interleaved. 1b/1c: the client is made once "
        + "(`monitors().client(id)`); after 20 queries on each path, the first " + queries + " took "
        + Figures.ms(coldTunnel) + " through the tunnel and " + Figures.ms(coldDirect) + " directly ("
        + Figures.x(coldTunnel / coldDirect)
        + ", the JIT still compiling); then " + warmUp + " more on each path, and the rows are batches of "
        + queries + " sequential instant queries of `up` after that.");
  }
}
