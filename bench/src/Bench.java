import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.cluster.JobState;
import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.monitor.DiscoveryLoop;
import io.github.hpcorchestrator.prometheus.DiscoverySpec;
import io.github.hpcorchestrator.prometheus.PrometheusClient;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.prometheus.TargetSelector;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import io.github.hpcorchestrator.state.ServiceRecord;
import io.github.hpcorchestrator.state.StateStore;
import io.github.hpcorchestrator.transport.LocalShell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every benchmark of BENCHMARKS.md against one SLURM cluster described by a cluster.env file
 * (testbed/cluster.sh format). Started by bench/run; not a test: it measures and writes a report,
 * it asserts nothing about time.
 */
public final class Bench {
  private final Path repo;
  private final Properties env = new Properties();
  private final int iterations;
  private final boolean smoke;
  private final Path out;
  private final Path work;
  private final List<String> nodes;
  private final Map<String, String> slurmEnv = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> machine = new ArrayList<>();
  private final String command;
  private int sleeperSeq;

  /** One line of the table. */
  private record Row(String item, String what, String ours, String reference, String ratio, String target,
      String met) {}

  private Bench(String[] args) throws IOException {
    Path envFile = null;
    int n = 5;
    boolean s = false;
    Path o = null;
    Path r = Path.of(".").toAbsolutePath().normalize();
    String cmd = "bench/run";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--env" -> envFile = Path.of(args[++i]);
        case "--iterations" -> n = Integer.parseInt(args[++i]);
        case "--smoke" -> s = true;
        case "--out" -> o = Path.of(args[++i]);
        case "--repo" -> r = Path.of(args[++i]).toAbsolutePath();
        case "--command" -> cmd = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    try (var in = Files.newBufferedReader(envFile)) {
      env.load(in);
    }
    this.repo = r;
    this.smoke = s;
    this.iterations = s ? 1 : n;
    this.out = o;
    this.command = cmd;
    this.work = Files.createTempDirectory("hpco-bench");
    this.nodes = List.of(env.getProperty("NODES").split(","));
    slurmEnv.put("SLURM_CONF", env.getProperty("SLURM_CONF"));
    slurmEnv.put("PATH", env.getProperty("BIN_DIR") + ":" + System.getenv("PATH"));
  }

  public static void main(String[] args) throws Exception {
    Bench b = new Bench(args);
    int code = 0;
    try {
      b.run();
    } catch (Throwable t) {
      t.printStackTrace();
      b.notes.add("The run stopped early: " + t);
      code = 1;
    } finally {
      b.cleanUp();
      b.write();
    }
    System.exit(code);
  }

  // ---------------------------------------------------------------- plumbing

  private static void log(String s) {
    System.err.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), s);
  }

  private static double median(List<Double> xs) {
    List<Double> c = new ArrayList<>(xs);
    Collections.sort(c);
    int n = c.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? c.get(n / 2) : (c.get(n / 2 - 1) + c.get(n / 2)) / 2;
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "n/a" : v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000)
        : v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.2f ms", v);
  }

  private static String x(double v) {
    return String.format(Locale.ROOT, v >= 10 ? "%.0fx" : "%.2fx", v);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  /** What a process printed and how it ended. */
  private record Proc(int code, String out, String err, double ms) {}

  private Proc exec(List<String> argv, Map<String, String> extraEnv, int timeoutS) throws Exception {
    Path o = Files.createTempFile(work, "o", ".txt");
    Path e = Files.createTempFile(work, "e", ".txt");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(o.toFile()).redirectError(e.toFile());
    pb.environment().putAll(extraEnv);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + argv);
    }
    double t = since(t0);
    Proc r = new Proc(p.exitValue(), Files.readString(o), Files.readString(e), t);
    Files.delete(o);
    Files.delete(e);
    return r;
  }

  /** The CLI as users run it: the launcher script at the repository root (JVM start included). */
  private Proc cli(Path config, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(repo.resolve("orchestrator").toString(), "--config", config.toString()));
    argv.addAll(List.of(args));
    Proc p = exec(argv, Map.of(), 300);
    if (p.code != 0) {
      throw new IllegalStateException("CLI " + List.of(args) + " exited " + p.code + ": " + p.err);
    }
    return p;
  }

  private List<String> sshArgv(String remote) {
    return List.of("ssh", "-i", env.getProperty("SSH_KEY"), "-p", env.getProperty("LOGIN_PORT"),
        "-o", "UserKnownHostsFile=" + env.getProperty("KNOWN_HOSTS"), "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes", env.getProperty("SSH_USER") + "@" + env.getProperty("LOGIN_HOST"), remote);
  }

  /** The original's query path: a new SSH connection and curl on the login node. */
  private double sshCurl(ServiceEndpoint prom) throws Exception {
    Proc p = exec(sshArgv("curl -s 'http://" + prom.host() + ":" + prom.port() + "/api/v1/query?query=up'"),
        Map.of(), 60);
    if (p.code != 0 || !p.out.contains("\"success\"")) {
      throw new IllegalStateException("ssh curl failed: " + p.err + p.out);
    }
    return p.ms;
  }

  private List<String> calls() throws IOException {
    Path log = Path.of(env.getProperty("CALL_LOG"));
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private Path config(String name, String backend, String node) throws IOException {
    Path file = work.resolve(name + ".yaml");
    List<String> lines = new ArrayList<>(List.of(
        "backend: " + backend,
        "state_dir: " + work.resolve(backend.equals("local") ? "local-state" : "state"),
        "recipes_dir: " + repo.resolve("recipes/services"),
        "metrics_dir: " + work.resolve("metrics")));
    if (backend.equals("slurm")) {
      lines.addAll(List.of(
          "remote_dir: " + remoteDir(),
          "hpc:",
          "  hostname: " + env.getProperty("LOGIN_HOST"),
          "  port: " + env.getProperty("LOGIN_PORT"),
          "  username: " + env.getProperty("SSH_USER"),
          "  key_filename: " + env.getProperty("SSH_KEY"),
          "  known_hosts: " + env.getProperty("KNOWN_HOSTS"),
          "slurm:",
          "  extra_directives: [\"--nodelist=" + node + "\"]"));
    }
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private Path remoteDir() {
    return work.resolve("remote");
  }

  private BenchmarkOrchestrator api(Path config) {
    return new BenchmarkOrchestrator(new ConfigLoader().load(config), line -> { });
  }

  private static Optional<String> upOf(QueryResult r, String job) {
    for (Series s : r.series()) {
      if (job.equals(s.metric().get("job")) && !s.samples().isEmpty()) {
        return Optional.of(s.samples().get(s.samples().size() - 1).value());
      }
    }
    return Optional.empty();
  }

  private void row(String item, String what, String ours, String reference, String ratio, String target,
      boolean met) {
    rows.add(new Row(item, what, ours, reference, ratio, target, met ? "yes" : "**no**"));
    log(item + " " + what + ": " + ours + " | " + reference + " | " + ratio + " | " + target + " | " + met);
  }

  // ---------------------------------------------------------------- the run

  private BenchmarkOrchestrator api1;
  private BenchmarkOrchestrator api2;
  private Path cfg1;
  private Path cfg2;
  private Path cfg3;
  private final List<Long> localPids = new ArrayList<>();
  private DiscoveryProc discovery;

  private void run() throws Exception {
    machine();
    cfg1 = config("node1", "slurm", nodes.get(0));
    cfg2 = config("node2", "slurm", nodes.get(1));
    cfg3 = config("node3", "slurm", nodes.get(2));
    api1 = api(cfg1);
    api2 = api(cfg2);
    log("starting a node exporter on " + nodes.get(0));
    ServiceSpec exporter = api1.loadRecipe(repo.resolve("recipes/services/node_exporter.yaml")).services().get(0);
    String exporterId = api1.servers().startService(exporter, "session_bench", "bench", true);
    String promId = timeToMonitored(exporterId);
    queryLatency(promId);
    api2.servers().stopService(promId);
    discoveredTarget();
    status(exporterId);
    discoveryScale();
    localStatus();
  }

  private void machine() throws Exception {
    machine.add("date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    machine.add("host: " + InetAddress.getLocalHost().getHostName() + ", " + Runtime.getRuntime().availableProcessors()
        + " CPUs (" + cpu + "), " + (Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "") + "")
        .transform(k -> Long.parseLong(k) / 1024 / 1024) + " GiB RAM, kernel " + System.getProperty("os.version"));
    machine.add("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.add("cluster: " + env.getProperty("CLUSTER_NAME") + ", nodes " + String.join(",", nodes)
        + ", login node " + env.getProperty("LOGIN_HOST") + ":" + env.getProperty("LOGIN_PORT"));
    List<Double> sshTrue = new ArrayList<>();
    List<Double> bashrc = new ArrayList<>();
    for (int i = 0; i < Math.max(3, iterations); i++) {
      sshTrue.add(exec(sshArgv("true"), Map.of(), 60).ms);
      bashrc.add(exec(List.of("bash", "-c", "true"), Map.of("SSH_CLIENT", "127.0.0.1 1 2", "SHLVL", "0"), 60).ms);
    }
    machine.add(String.format(Locale.ROOT, "cold `ssh login true` (OpenSSH: handshake + login shell): median %s; "
        + "of which the login shell's ~/.bashrc (bash started as sshd starts it, measured locally): %s. "
        + "Every command an SSH exec channel runs pays that .bashrc again.", ms(median(sshTrue)), ms(median(bashrc))));
  }

  // ---- item 3a: time to monitored, target already running; leaves the last Prometheus running

  private String timeToMonitored(String exporterId) throws Exception {
    int scrape = 2;
    Path recipe = work.resolve("prometheus.yaml");
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
    for (int i = 0; i < iterations; i++) {
      if (promId != null) {
        api2.servers().stopService(promId);
      }
      log("3a: --recipe prometheus, iteration " + (i + 1));
      long t0 = System.nanoTime();
      Proc p = cli(cfg2, "--recipe", recipe.toString(), "--output", "json");
      cliMs.add(p.ms);
      promId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out).at("/services/0/service_id").asText();
      PrometheusClient client = api2.monitors().client(promId);
      while (!upOf(client.query("up{job=\"node\"}"), "node").equals(Optional.of("1"))) {
        if (since(t0) > 300_000) {
          throw new IllegalStateException("up never became 1");
        }
        Thread.sleep(20);
      }
      total.add(since(t0));
      own.add(prometheusStartToReady(promId));
    }
    double rest = median(total) - median(own);
    row("3a", "time to monitored, target already running (`--recipe` of a Prometheus, scrape 2 s, to first "
            + "query with up=1), minus Prometheus's own start-to-ready (" + ms(median(own)) + ")",
        ms(rest) + " (total " + ms(median(total)) + "; the `--recipe` CLI call alone " + ms(median(cliMs)) + ")",
        "", "", "<= scrape interval + 1 s = " + (scrape + 1) + " s", rest <= (scrape + 1) * 1000.0);
    return promId;
  }

  /** Prometheus's own log: "Starting Prometheus" to "Server is ready to receive web requests". */
  private double prometheusStartToReady(String promId) throws IOException {
    ServiceRecord r = api2.servers().checkServiceStatus(promId).record();
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

  // ---- item 1: query latency

  private void queryLatency(String promId) throws Exception {
    ServiceEndpoint prom = api2.servers().getServiceEndpoint(promId);
    List<Double> cliQ = new ArrayList<>();
    List<Double> sshQ = new ArrayList<>();
    int rounds = smoke ? 1 : Math.max(iterations, 5);
    for (int i = 0; i < rounds; i++) {
      log("1a: CLI query vs ssh curl, round " + (i + 1));
      cliQ.add(cli(cfg1, "--query-service-metrics", promId, "up", "--output", "json").ms);
      sshQ.add(sshCurl(prom));
    }
    double a = median(cliQ);
    double o = median(sshQ);
    row("1a", "one CLI query (`./orchestrator --query-service-metrics ID up`, JVM start included) vs the "
        + "original's path (`ssh login \"curl ...\"`)", ms(a), ms(o), x(a / o) + " of the original's time",
        "<= 1x (no slower)", a <= o);

    int queries = smoke ? 10 : 100;
    int sshSample = smoke ? 2 : 5;
    PrometheusClient tunnel = api1.monitors().client(promId);
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
    double coldTunnel = since(c0);
    c0 = System.nanoTime();
    for (int q = 0; q < queries; q++) {
      direct.query("up");
    }
    double coldDirect = since(c0);
    // Then both paths warm up alike until the JIT has compiled them: the rows compare transports.
    int warmUp = smoke ? 20 : 1000;
    for (int i = 0; i < warmUp; i++) {
      tunnel.query("up");
      direct.query("up");
    }
    List<Double> lib = new ArrayList<>();
    List<Double> dir = new ArrayList<>();
    List<Double> perSsh = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      log("1b/1c: " + queries + " queries through the library and directly, iteration " + (i + 1));
      long t0 = System.nanoTime();
      for (int q = 0; q < queries; q++) {
        tunnel.query("up");
      }
      lib.add(since(t0));
      t0 = System.nanoTime();
      for (int q = 0; q < queries; q++) {
        direct.query("up");
      }
      dir.add(since(t0));
      for (int q = 0; q < sshSample; q++) {
        perSsh.add(sshCurl(prom));
      }
    }
    double b = median(lib);
    double s = median(perSsh) * queries;
    row("1b", queries + " queries through the library in one process (one SSH session, one tunnel) vs "
        + queries + " x `ssh login curl` (" + perSsh.size() + " ssh calls measured, median x " + queries + ")",
        ms(b), ms(s), x(s / b) + " faster", ">= 50x faster", s / b >= 50);
    double d = median(dir);
    row("1c", "the same " + queries + " library queries vs direct HTTP to Prometheus from this machine",
        ms(b), ms(d), x(b / d) + " of direct", "<= 2x of direct", b / d <= 2);
    notes.add("1a: the CLI resolves the ID with one `squeue` over SSH before it queries through a tunnel; "
        + "both sides run " + rounds + " times, interleaved. 1b/1c: the client is made once "
        + "(`monitors().client(id)`); after 20 queries on each path, the first " + queries + " took "
        + ms(coldTunnel) + " through the tunnel and " + ms(coldDirect) + " directly (" + x(coldTunnel / coldDirect)
        + ", the JIT still compiling); then " + warmUp + " more on each path, and the rows are batches of "
        + queries + " sequential instant queries of `up` after that.");
  }

  // ---- item 3b: a target started after Prometheus, found by the discovery sidecar

  private void discoveredTarget() throws Exception {
    int scrape = 2;
    ServiceSpec prom = new ServiceSpec("prometheus", "", Optional.empty(), List.of(), Optional.empty(),
        ResourceSpec.none(), Map.of(), List.of(9090), Optional.empty(),
        List.of(new io.github.hpcorchestrator.recipe.MonitoringTarget(Optional.empty(), Optional.empty(),
            Optional.of("node_exporter"), false, "late", Optional.empty(), "/metrics")),
        Optional.of(scrape + "s"));
    log("3b: starting a Prometheus that follows every node_exporter");
    String promId = api2.servers().startService(prom, "session_bench", "bench", true);
    PrometheusClient client = api2.monitors().client(promId);
    ServiceSpec exporter = api1.loadRecipe(repo.resolve("recipes/services/node_exporter.yaml")).services().get(0);
    List<Double> seen = new ArrayList<>();
    try (BenchmarkOrchestrator api3 = api(cfg3)) {
      for (int i = 0; i < iterations; i++) {
        log("3b: new exporter on " + nodes.get(2) + ", iteration " + (i + 1));
        String id = api3.servers().startService(exporter, "session_bench", "bench", false);
        Path connection = remoteDir().resolve("services").resolve(id).resolve("connection");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(connection) && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        String node = nodes.get(2);
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
    api2.servers().stopService(promId);
    double m = median(seen);
    row("3b", "time to monitored, target started after Prometheus (its job wrote its connection file -> first "
        + "query with its up=1), discovery interval 2 s, scrape 2 s", ms(m), "", "",
        "<= discovery + scrape interval = " + (2 * scrape) + " s", m <= 2 * scrape * 1000.0);
  }

  // ---- item 2: --status with 1, 50, 500 tracked services

  /** Submits {@code n} sleeping jobs named like services, with service folders and state rows. */
  private List<String> sleepers(int n, boolean stateRows) throws Exception {
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    Map<String, String> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    for (int i = 0; i < n; i++) {
      String id = String.format("sleeper_%08x", 0x5000_0000 + sleeperSeq++);
      fs.add(pool.submit(() -> {
        Path dir = remoteDir().resolve("services").resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("session"), "session_bench\n");
        Files.writeString(dir.resolve("connection"), "host=" + nodes.get(0) + "\nport=" + (20000 + (id.hashCode() & 0x3fff))
            + "\njob_id=0\n");
        Proc p = exec(List.of("sbatch", "--parsable", "-J", id, "--chdir", dir.toString(), "-o", "slurm-%j.out",
            "--mem=16M", "--wrap", "exec sleep 3600"), slurmEnv, 60);
        if (p.code != 0) {
          failures.incrementAndGet();
          return null;
        }
        jobs.put(id, p.out.strip().split(";")[0]);
        ids.add(id);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " sbatch calls failed");
    }
    if (stateRows) {
      try (StateStore store = StateStore.open(work.resolve("state"))) {
        Instant now = Instant.now();
        jobs.forEach((id, job) -> store.insert(new ServiceRecord(id, "sleeper", "session_bench", "slurm", job,
            remoteDir().resolve("services").resolve(id).toString(), 0, JobState.PENDING, "", "", 0,
            Optional.empty(), now, Optional.empty(), Optional.empty(), "bench")));
      }
    }
    return ids;
  }

  private void status(String exporterId) throws Exception {
    Map<Integer, Double> wall = new LinkedHashMap<>();
    Map<Integer, String> callCounts = new LinkedHashMap<>();
    int[] counts = smoke ? new int[] {1, 5, 20} : new int[] {1, 50, 500};
    int have = 1;
    boolean oneCall = true;
    for (int n : counts) {
      log("2: submitting " + (n - have) + " sleeping jobs");
      sleepers(n - have, true);
      have = n;
      cli(cfg1, "--status", "--output", "json"); // the first status reads each new service's connection once
      List<Double> t = new ArrayList<>();
      List<String> perCall = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        int before = calls().size();
        Proc p = cli(cfg1, "--status", "--output", "json");
        List<String> all = calls();
        List<String> during = all.subList(before, all.size());
        t.add(p.ms);
        perCall.add(during.size() + (during.isEmpty() ? "" : " (" + String.join(", ", during.stream()
            .map(c -> c.split(" ")[0]).distinct().toList()) + ")"));
        oneCall &= during.size() == 1;
        int listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out).get("services").size();
        if (listed < n) {
          throw new IllegalStateException("--status listed " + listed + " services, expected >= " + n);
        }
      }
      wall.put(n, median(t));
      callCounts.put(n, perCall.stream().distinct().reduce((a, b) -> a + "; " + b).orElse(""));
    }
    int lo = counts[0];
    int hi = counts[counts.length - 1];
    for (int n : counts) {
      row("2", "`--status` (CLI, JVM start included) with " + n + " tracked services: SLURM calls "
          + callCounts.get(n), ms(wall.get(n)), n == lo ? "" : ms(wall.get(lo)) + " (" + lo + " service)",
          n == lo ? "" : x(wall.get(n) / wall.get(lo)) + " of 1 service",
          n == hi ? "one squeue; <= 1.5x of 1 service" : "one squeue", n == hi ? oneCall && wall.get(n) <= 1.5 * wall.get(lo)
              : oneCall);
    }
    notes.add("2: the first service is the node exporter (a real job started through the library); the others are "
        + "`sleep` jobs submitted with sbatch on this machine (" + (hi - 1) + " jobs, most of them PENDING on 3 nodes), "
        + "each with a service folder (connection and session file) and a state row inserted with StateStore, so "
        + "every one is both tracked and listed by squeue. One untimed `--status` after each batch lets the "
        + "orchestrator record the new services' ports once; the timed calls are the steady state. SLURM calls "
        + "are counted from the testbed's CALL_LOG (every sbatch/squeue/sacct/scancel wrapper call).");
  }

  // ---- item 4: one discovery loop following 1,000 services

  /** The discovery sidecar as a process of its own, for its memory. */
  private record DiscoveryProc(Process process, Path dir) {}

  private void discoveryScale() throws Exception {
    int target = smoke ? 40 : 1000;
    long existing = api1.servers().listRunningServices().stream().filter(s -> s.record().name().equals("sleeper")).count();
    log("4: submitting " + (target - existing) + " more sleeping jobs (" + target + " in all)");
    sleepers((int) (target - existing), false);
    Path mon = work.resolve("monitor");
    Files.createDirectories(mon);
    DiscoverySpec spec = new DiscoverySpec("slurm", remoteDir().toString(), "prometheus_00000000", "session_bench", 1,
        mon.resolve("targets").toString(), List.of(new TargetSelector("sleepers", null, "sleeper", false, null, null)));
    CountingShell shell = new CountingShell(new LocalShell(slurmEnv));
    SlurmScheduler scheduler = new SlurmScheduler(shell, remoteDir().toString(), SlurmDefaults.none(),
        Clock.systemDefaultZone());
    DiscoveryLoop loop = new DiscoveryLoop(spec, scheduler, shell);
    loop.round();
    List<Double> t = new ArrayList<>();
    List<Integer> c = new ArrayList<>();
    List<Integer> commands = new ArrayList<>();
    int found = 0;
    for (int i = 0; i < Math.max(3, iterations); i++) {
      Thread.sleep(1100); // past the scheduler's one-second squeue cache
      int before = shell.slurmCalls;
      int commandsBefore = shell.commands;
      long t0 = System.nanoTime();
      found = loop.round().getOrDefault("sleepers", List.of()).stream().mapToInt(g -> g.targets().size()).sum();
      t.add(since(t0));
      c.add(shell.slurmCalls - before);
      commands.add(shell.commands - commandsBefore);
    }
    double round = median(t);

    // The sidecar itself: its memory, and how long a new service takes to appear in its file_sd file.
    Files.writeString(mon.resolve("discovery.json"), spec.toJson());
    String cp = repo.resolve("target/classes") + ":" + repo.resolve("target/lib") + "/*";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "io.github.hpcorchestrator.monitor.DiscoveryMain", mon.resolve("discovery.json").toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("discovery.log").toFile());
    pb.environment().putAll(slurmEnv);
    discovery = new DiscoveryProc(pb.start(), mon);
    Path file = mon.resolve("targets").resolve("sleepers.json");
    Files.deleteIfExists(file);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while ((!Files.exists(file) || Files.size(file) < 1000) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(3000);
    List<Double> appear = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      String id = sleepers(1, false).get(0);
      Instant published = Files.getLastModifiedTime(remoteDir().resolve("services").resolve(id).resolve("connection"))
          .toInstant();
      while (!Files.readString(file).contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      appear.add(Duration.between(published, Instant.now()).toNanos() / 1e6);
    }
    String status = Files.readString(Path.of("/proc", Long.toString(discovery.process.pid()), "status"));
    String rss = status.lines().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("?");
    row("4", "one discovery round (SlurmScheduler + DiscoveryLoop on a local shell, as the sidecar runs) with "
        + found + " services: " + median(c.stream().map(Integer::doubleValue).toList()) + " SLURM call(s) and " + median(commands.stream().map(Integer::doubleValue).toList())
        + " commands/file reads in all per round",
        ms(round), "", "", "(no target set)", true);
    row("4", "new service -> listed in the sidecar's file_sd file (" + found + " services followed, 1 s interval)",
        ms(median(appear)), "", "", "<= 1 discovery interval + round", median(appear) <= 1000 + round);
    row("4", "memory of the discovery sidecar process (DiscoveryMain, default JVM flags) following " + found
        + " services", rss, "", "", "(no target set)", true);
    notes.add("4: measured on the discovery loop alone (the sidecar a Prometheus job runs): " + found + " `sleep` jobs "
        + "named like services, each with a connection file, followed by `service: sleeper`; no Prometheus scrapes "
        + "these 1,000 targets (they do not listen). Each round costs one squeue plus reading each service's "
        + "connection and session file.");
  }

  /** Counts what the discovery loop asks of its shell. */
  private static final class CountingShell implements io.github.hpcorchestrator.transport.Shell {
    private final io.github.hpcorchestrator.transport.Shell d;
    volatile int slurmCalls;
    volatile int commands;

    CountingShell(io.github.hpcorchestrator.transport.Shell d) {
      this.d = d;
    }

    private void count(List<String> argv) {
      commands++;
      if (List.of("squeue", "sacct", "sbatch", "scancel", "scontrol", "sinfo").contains(argv.get(0))) {
        slurmCalls++;
      }
    }

    @Override
    public io.github.hpcorchestrator.transport.CommandResult run(List<String> argv, Duration timeout) {
      count(argv);
      return d.run(argv, timeout);
    }

    @Override
    public io.github.hpcorchestrator.transport.CommandResult runOnce(List<String> argv, Duration timeout) {
      count(argv);
      return d.runOnce(argv, timeout);
    }

    @Override
    public void writeFile(String path, byte[] content, int mode) {
      commands++;
      d.writeFile(path, content, mode);
    }

    @Override
    public byte[] readFile(String path) {
      commands++;
      return d.readFile(path);
    }

    @Override
    public java.net.InetSocketAddress reach(String host, int port) {
      return d.reach(host, port);
    }

    @Override
    public boolean isLocal() {
      return d.isLocal();
    }

    @Override
    public void close() {
      d.close();
    }

    @Override
    public Path home() {
      return d.home();
    }
  }

  // ---- item 5: the local backend

  private void localStatus() throws Exception {
    int n = smoke ? 5 : 50;
    Path cfg = config("local", "local", "");
    log("5: starting " + n + " local services");
    try (BenchmarkOrchestrator local = api(cfg)) {
      ServiceSpec sleeper = new ServiceSpec("sleeper", "", Optional.of("sleep"), List.of("3600"), Optional.empty(),
          ResourceSpec.none(), Map.of(), List.of(), Optional.empty(), List.of(), Optional.empty());
      for (int i = 0; i < n; i++) {
        local.servers().startService(sleeper, "session_local", "bench", false);
      }
      cli(cfg, "--status", "--output", "json");
      List<Double> t = new ArrayList<>();
      for (int i = 0; i < iterations; i++) {
        t.add(cli(cfg, "--status").ms);
      }
      double m = median(t);
      row("5", "`--status` on the local backend with " + n + " services (CLI, JVM start included)", ms(m), "", "",
          "< 600 ms", m < 600);
      local.servers().stopAllServices();
    }
  }

  private void cleanUp() {
    try {
      if (discovery != null) {
        Files.writeString(discovery.dir.resolve("exit_code"), "0\n");
        if (!discovery.process.waitFor(5, TimeUnit.SECONDS)) {
          discovery.process.destroyForcibly();
        }
      }
    } catch (Exception e) {
      log("stopping the discovery sidecar: " + e);
    }
    for (BenchmarkOrchestrator a : new BenchmarkOrchestrator[] {api1, api2}) {
      if (a != null) {
        try {
          a.close();
        } catch (RuntimeException e) {
          log("closing: " + e);
        }
      }
    }
    try {
      exec(List.of("scancel", "--me"), slurmEnv, 60);
    } catch (Exception e) {
      log("scancel: " + e);
    }
  }

  // ---------------------------------------------------------------- the report

  private void write() throws IOException {
    if (out == null) {
      return;
    }
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Latency of the cluster path as users feel it, measured side by side in one run of\n\n```bash\n")
        .append(command).append("\n```\n\n");
    s.append(smoke ? "**Smoke run (1 iteration, small counts): not representative.**\n\n"
        : "Medians over " + iterations + " iterations (more where a row says so).\n\n");
    s.append("## Machine\n\n");
    machine.forEach(m -> s.append("- ").append(m).append('\n'));
    s.append("\n## Results\n\n| # | what | ours | reference | ratio | target | met |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      s.append("| ").append(String.join(" | ", r.item, r.what, r.ours, r.reference, r.ratio, r.target, r.met))
          .append(" |\n");
    }
    s.append("\n## How each figure was measured\n\n");
    notes.forEach(n -> s.append("- ").append(n).append('\n'));
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.writeString(tmp, s.toString());
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    log("wrote " + out);
  }
}
