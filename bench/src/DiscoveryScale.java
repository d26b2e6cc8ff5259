import io.github.hpcorchestrator.cluster.SlurmScheduler;
import io.github.hpcorchestrator.config.SlurmDefaults;
import io.github.hpcorchestrator.monitor.DiscoveryLoop;
import io.github.hpcorchestrator.prometheus.DiscoverySpec;
import io.github.hpcorchestrator.prometheus.TargetSelector;
import io.github.hpcorchestrator.transport.LocalShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Item 4 of BENCHMARKS.md: one discovery loop following 1,000 services, and the sidecar's memory. */
final class DiscoveryScale {
  private final Bench b;

  DiscoveryScale(Bench b) {
    this.b = b;
  }

  /** The discovery sidecar as a process of its own, for its memory. */
  private record DiscoveryProc(Process process, Path dir) {}

  private DiscoveryProc discovery;

  /** The rows; leaves the sidecar running for {@link #stop}. */
  void run() throws Exception {
    int target = b.smoke ? 40 : 1000;
    long existing = b.api1.servers().listRunningServices().stream().filter(s -> s.record().name().equals("sleeper")).count();
    Bench.log("4: submitting " + (target - existing) + " more sleeping jobs (" + target + " in all)");
    b.sleepers.submit((int) (target - existing), false);
    Path mon = b.work.resolve("monitor");
    Files.createDirectories(mon);
    DiscoverySpec spec = new DiscoverySpec("slurm", b.remoteDir().toString(), "prometheus_00000000", "session_bench", 1,
        mon.resolve("targets").toString(), List.of(new TargetSelector("sleepers", null, "sleeper", false, null, null)));
    CountingShell shell = new CountingShell(new LocalShell(b.slurmEnv));
    SlurmScheduler scheduler = new SlurmScheduler(shell, b.remoteDir().toString(), SlurmDefaults.none(),
        Clock.systemDefaultZone());
    DiscoveryLoop loop = new DiscoveryLoop(spec, scheduler, shell);
    loop.round();
    List<Double> t = new ArrayList<>();
    List<Integer> c = new ArrayList<>();
    List<Integer> commands = new ArrayList<>();
    int found = 0;
    for (int i = 0; i < Math.max(3, b.iterations); i++) {
      Thread.sleep(1100); // past the scheduler's one-second squeue cache
      int before = shell.slurmCalls;
      int commandsBefore = shell.commands;
      long t0 = System.nanoTime();
      found = loop.round().getOrDefault("sleepers", List.of()).stream().mapToInt(g -> g.targets().size()).sum();
      t.add(Figures.since(t0));
      c.add(shell.slurmCalls - before);
      commands.add(shell.commands - commandsBefore);
    }
    double round = Figures.median(t);

    // The sidecar itself: its memory, and how long a new service takes to appear in its file_sd file.
    Files.writeString(mon.resolve("discovery.json"), spec.toJson());
    String cp = b.repo.resolve("target/classes") + ":" + b.repo.resolve("target/lib") + "/*";
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", cp, "io.github.hpcorchestrator.monitor.DiscoveryMain", mon.resolve("discovery.json").toString())
        .redirectErrorStream(true).redirectOutput(b.work.resolve("discovery.log").toFile());
    pb.environment().putAll(b.slurmEnv);
    discovery = new DiscoveryProc(pb.start(), mon);
    Path file = mon.resolve("targets").resolve("sleepers.json");
    Files.deleteIfExists(file);
    long deadline = System.nanoTime() + 120_000_000_000L;
    while ((!Files.exists(file) || Files.size(file) < 1000) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(3000);
    List<Double> appear = new ArrayList<>();
    for (int i = 0; i < b.iterations; i++) {
      String id = b.sleepers.submit(1, false).get(0);
      Instant published = Files.getLastModifiedTime(b.remoteDir().resolve("services").resolve(id).resolve("connection"))
          .toInstant();
      while (!Files.readString(file).contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      appear.add(Duration.between(published, Instant.now()).toNanos() / 1e6);
    }
    String status = Files.readString(Path.of("/proc", Long.toString(discovery.process.pid()), "status"));
    String rss = status.lines().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("?");
    b.report.row("4", "one discovery round (SlurmScheduler + DiscoveryLoop on a local shell, as the sidecar runs) with "
        + found + " services: " + Figures.median(c.stream().map(Integer::doubleValue).toList()) + " SLURM call(s) and "
        + Figures.median(commands.stream().map(Integer::doubleValue).toList())
        + " commands/file reads in all per round",
        Figures.ms(round), "", "", "(no target set)", true);
    b.report.row("4", "new service -> listed in the sidecar's file_sd file (" + found + " services followed, 1 s interval)",
        Figures.ms(Figures.median(appear)), "", "", "<= 1 discovery interval + round",
        Figures.median(appear) <= 1000 + round);
    b.report.row("4", "memory of the discovery sidecar process (DiscoveryMain, default JVM flags) following " + found
        + " services", rss, "", "", "(no target set)", true);
    b.report.note("4: measured on the discovery loop alone (the sidecar a Prometheus job runs): " + found + " `sleep` jobs "
        + "named like services, each with a connection file, followed by `service: sleeper`; no Prometheus scrapes "
        + "these 1,000 targets (they do not listen). Each round costs one squeue plus reading each service's "
        + "connection and session file.");
  }

  /** Ends the sidecar, if {@link #run} started it: its exit_code file, then a kill after 5 s. */
  void stop() {
    try {
      if (discovery != null) {
        Files.writeString(discovery.dir.resolve("exit_code"), "0\n");
        if (!discovery.process.waitFor(5, TimeUnit.SECONDS)) {
          discovery.process.destroyForcibly();
        }
      }
    } catch (Exception e) {
      Bench.log("stopping the discovery sidecar: " + e);
    }
  }
}
