import io.github.hpcorchestrator.BenchmarkOrchestrator;
import io.github.hpcorchestrator.config.ConfigLoader;
import io.github.hpcorchestrator.prometheus.QueryResult;
import io.github.hpcorchestrator.prometheus.Series;
import io.github.hpcorchestrator.recipe.ResourceSpec;
import io.github.hpcorchestrator.recipe.ServiceSpec;
import io.github.hpcorchestrator.service.ServiceEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Every benchmark of BENCHMARKS.md against one SLURM cluster described by a cluster.env file
 * (testbed/cluster.sh format). Started by bench/run; not a test: it measures and writes a report,
 * it asserts nothing about time.
 */
public final class Bench {
  final Path repo;
  private final Properties env = new Properties();
  final int iterations;
  final boolean smoke;
  private final Path out;
  final Path work;
  final List<String> nodes;
  final Map<String, String> slurmEnv = new LinkedHashMap<>();
  final Report report = new Report();
  final Sleepers sleepers = new Sleepers(this);
  private final String command;

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
      b.report.note("The run stopped early: " + t);
      code = 1;
    } finally {
      b.cleanUp();
      if (b.out != null) {
        b.report.write(b.out, b.command, b.smoke, b.iterations);
      }
    }
    System.exit(code);
  }

  // ---------------------------------------------------------------- plumbing

  static void log(String s) {
    System.err.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), s);
  }

  /** What a process printed and how it ended. */
  record Proc(int code, String out, String err, double ms) {}

  Proc exec(List<String> argv, Map<String, String> extraEnv, int timeoutS) throws Exception {
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
    double t = Figures.since(t0);
    Proc r = new Proc(p.exitValue(), Files.readString(o), Files.readString(e), t);
    Files.delete(o);
    Files.delete(e);
    return r;
  }

  /** The CLI as users run it: the launcher script at the repository root (JVM start included). */
  Proc cli(Path config, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(repo.resolve("orchestrator").toString(), "--config", config.toString()));
    argv.addAll(List.of(args));
    Proc p = exec(argv, Map.of(), 300);
    if (p.code != 0) {
      throw new IllegalStateException("CLI " + List.of(args) + " exited " + p.code + ": " + p.err);
    }
    return p;
  }

  List<String> sshArgv(String remote) {
    return List.of("ssh", "-i", env.getProperty("SSH_KEY"), "-p", env.getProperty("LOGIN_PORT"),
        "-o", "UserKnownHostsFile=" + env.getProperty("KNOWN_HOSTS"), "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes", env.getProperty("SSH_USER") + "@" + env.getProperty("LOGIN_HOST"), remote);
  }

  /** The original's query path: a new SSH connection and curl on the login node. */
  double sshCurl(ServiceEndpoint prom) throws Exception {
    Proc p = exec(sshArgv("curl -s 'http://" + prom.host() + ":" + prom.port() + "/api/v1/query?query=up'"),
        Map.of(), 60);
    if (p.code != 0 || !p.out.contains("\"success\"")) {
      throw new IllegalStateException("ssh curl failed: " + p.err + p.out);
    }
    return p.ms;
  }

  List<String> calls() throws IOException {
    Path log = Path.of(env.getProperty("CALL_LOG"));
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  Path config(String name, String backend, String node) throws IOException {
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

  Path remoteDir() {
    return work.resolve("remote");
  }

  BenchmarkOrchestrator api(Path config) {
    return new BenchmarkOrchestrator(new ConfigLoader().load(config), line -> { });
  }

  static Optional<String> upOf(QueryResult r, String job) {
    for (Series s : r.series()) {
      if (job.equals(s.metric().get("job")) && !s.samples().isEmpty()) {
        return Optional.of(s.samples().get(s.samples().size() - 1).value());
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- the run

  BenchmarkOrchestrator api1;
  BenchmarkOrchestrator api2;
  Path cfg1;
  Path cfg2;
  Path cfg3;
  private DiscoveryScale discoveryScale;

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
    TimeToMonitored monitored = new TimeToMonitored(this);
    String promId = monitored.targetRunning(exporterId);
    new QueryLatency(this).run(promId);
    api2.servers().stopService(promId);
    monitored.targetStartedLater();
    new StatusScale(this).run(exporterId);
    discoveryScale = new DiscoveryScale(this);
    discoveryScale.run();
    localStatus();
  }

  private void machine() throws Exception {
    report.machine("date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    report.machine("host: " + InetAddress.getLocalHost().getHostName() + ", " + Runtime.getRuntime().availableProcessors()
        + " CPUs (" + cpu + "), " + (Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "") + "")
        .transform(k -> Long.parseLong(k) / 1024 / 1024) + " GiB RAM, kernel " + System.getProperty("os.version"));
    report.machine("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.machine("cluster: " + env.getProperty("CLUSTER_NAME") + ", nodes " + String.join(",", nodes)
        + ", login node " + env.getProperty("LOGIN_HOST") + ":" + env.getProperty("LOGIN_PORT"));
    List<Double> sshTrue = new ArrayList<>();
    List<Double> bashrc = new ArrayList<>();
    for (int i = 0; i < Math.max(3, iterations); i++) {
      sshTrue.add(exec(sshArgv("true"), Map.of(), 60).ms);
      bashrc.add(exec(List.of("bash", "-c", "true"), Map.of("SSH_CLIENT", "127.0.0.1 1 2", "SHLVL", "0"), 60).ms);
    }
    report.machine(String.format(Locale.ROOT, "cold `ssh login true` (OpenSSH: handshake + login shell): median %s; "
        + "of which the login shell's ~/.bashrc (bash started as sshd starts it, measured locally): %s. "
        + "Every command an SSH exec channel runs pays that .bashrc again.", Figures.ms(Figures.median(sshTrue)),
        Figures.ms(Figures.median(bashrc))));
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
      double m = Figures.median(t);
      report.row("5", "`--status` on the local backend with " + n + " services (CLI, JVM start included)",
          Figures.ms(m), "", "",
          "< 600 ms", m < 600);
      local.servers().stopAllServices();
    }
  }

  private void cleanUp() {
    if (discoveryScale != null) {
      discoveryScale.stop();
    }
    // Only the bench's own jobs: its sleepers by job ID, then what its state tracks (the configs
    // share one state folder), never the user's other jobs on a cluster given with --config.
    try {
      sleepers.cancelAll();
    } catch (Exception e) {
      log("cancelling the sleepers: " + e);
    }
    if (api1 != null) {
      try {
        api1.servers().stopAllServices();
      } catch (RuntimeException e) {
        log("stopping the bench's services: " + e);
      }
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
  }
}
