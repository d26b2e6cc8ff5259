package io.github.hpcorchestrator.cli;

import io.github.hpcorchestrator.testbed.TestCluster;
import io.github.hpcorchestrator.transport.LocalShell;
import io.github.hpcorchestrator.transport.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI on the SLURM backend of a test cluster, run as a separate JVM inside the cluster's
 * "laptop" namespace, which reaches only the login node's sshd: every command and query goes
 * through the one SSH connection.
 */
final class SlurmCli {
  static final Path REPO = Path.of("").toAbsolutePath();
  private final TestCluster cluster;
  private final Path work;
  private final Shell slurmHere;

  SlurmCli(TestCluster cluster, Path work) {
    this.cluster = cluster;
    this.work = work;
    this.slurmHere = new LocalShell(cluster.slurmEnvironment());
  }

  /** A config that reaches the cluster over SSH from the laptop and pins jobs to {@code node}. */
  Path config(String name, String node) throws IOException {
    return config(name, node, work.resolve("state"), work.resolve("remote"));
  }

  /** Like {@link #config(String, String)}, with a state folder and remote_dir of its own. */
  Path config(String name, String node, Path stateDir, Path remoteDir) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, String.join("\n",
        "backend: slurm",
        "state_dir: " + stateDir,
        "recipes_dir: " + REPO.resolve("recipes/services"),
        "metrics_dir: " + work.resolve("metrics"),
        "remote_dir: " + remoteDir,
        "hpc:",
        "  hostname: " + cluster.get("LAPTOP_LOGIN_HOST"),
        "  port: " + cluster.get("LOGIN_PORT"),
        "  username: " + cluster.get("SSH_USER"),
        "  key_filename: " + cluster.get("SSH_KEY"),
        "  known_hosts: " + cluster.get("KNOWN_HOSTS"),
        "slurm:",
        "  extra_directives: [\"--nodelist=" + node + "\"]",
        ""));
    return file;
  }

  /** Runs the CLI inside the laptop namespace. */
  CliResult run(Path config, String... args) throws IOException, InterruptedException {
    return laptop().run(work, Duration.ofSeconds(180), withConfig(config, args));
  }

  /** Runs the CLI inside the laptop namespace through the jar's front-end (the warm path's door). */
  CliResult runFront(Path config, String... args) throws IOException, InterruptedException {
    return laptop().throughFront().run(work, Duration.ofSeconds(180), withConfig(config, args));
  }

  /**
   * The CLI inside the laptop namespace as ./orchestrator starts it (front-end, launcher), not
   * started yet: its output is the caller's to redirect or read.
   */
  ProcessBuilder launched(Path config, String... args) {
    return laptop().throughFront().throughLauncher().builder(withConfig(config, args));
  }

  /** Starts the CLI inside the laptop namespace without waiting, its output going to {@code out} and {@code err}. */
  Process start(Path config, Path out, Path err, String... args) throws IOException {
    return laptop().start(out, err, withConfig(config, args));
  }

  private CliProcess laptop() {
    return CliProcess.java().wrappedIn(List.of("ip", "netns", "exec", cluster.get("LAPTOP_NETNS")));
  }

  private static List<String> withConfig(Path config, String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return all;
  }

  /** Job IDs squeue lists now. */
  List<String> squeueIds() {
    String out = slurmHere.run(List.of("squeue", "-h", "-o", "%i"), Duration.ofSeconds(30)).stdout();
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** Runs a SLURM command on this machine against the test cluster. */
  void slurm(String... argv) {
    slurmHere.run(List.of(argv), Duration.ofSeconds(30));
  }

  /** The folder this CLI's configs, state and metrics live in. */
  Path work() {
    return work;
  }

  /** A config pinned to the cluster's first node. */
  Path firstNodeConfig() throws IOException {
    return config("node1.yaml", cluster.nodes().get(0));
  }

  /** Cancels what a test class left in the queue of the run's own cluster. */
  static void cancelLeftovers(SlurmCli cli) {
    if (cli != null) {
      cli.slurm("scancel", "--me");
    }
  }
}
