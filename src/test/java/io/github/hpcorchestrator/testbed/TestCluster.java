package io.github.hpcorchestrator.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A private, real SLURM cluster with an SSH login node, made by {@code testbed/cluster.sh up} and
 * removed by {@link #close()}: shared by the classes of a run through {@link SharedCluster}, or one
 * class's own from {@link #up()}.
 */
public final class TestCluster implements AutoCloseable {
  private static final Path CLUSTER_SH = Path.of("testbed/cluster.sh").toAbsolutePath();
  private final Path dir;
  private final Properties env;

  private TestCluster(Path dir, Properties env) {
    this.dir = dir;
    this.env = env;
  }

  /** Whether this machine can host a test cluster (root, and the script is there). */
  public static boolean possible() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(CLUSTER_SH);
  }

  /** Returns when this machine can host a test cluster; otherwise skips, or fails under CI ({@link Needs}). */
  public static void requirePossible() {
    Needs.that(possible(), "the SLURM testbed needs root and an executable " + CLUSTER_SH);
  }

  /** Brings a cluster up in a fresh temp folder; fails the test with the script's log if it cannot. */
  public static TestCluster up() throws IOException, InterruptedException {
    requirePossible();
    Path dir = Files.createTempDirectory("hpco-cluster");
    Path log = dir.resolve("up.log");
    Process p = new ProcessBuilder(CLUSTER_SH.toString(), "up", dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("testbed/cluster.sh up failed:\n" + Files.readString(log));
    }
    Properties env = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("cluster.env"))) {
      env.load(r);
    }
    // One line a cluster, so that a run's log counts how many it started.
    System.err.println("testbed: cluster up in " + dir);
    return new TestCluster(dir, env);
  }

  /** A value of cluster.env, e.g. "LOGIN_PORT". */
  public String get(String key) {
    String value = env.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("cluster.env has no " + key);
    }
    return value;
  }

  /** The compute nodes' host names. */
  public List<String> nodes() {
    return List.of(get("NODES").split(","));
  }

  /** Environment under which SLURM commands on this machine talk to this cluster. */
  public Map<String, String> slurmEnvironment() {
    return Map.of("SLURM_CONF", get("SLURM_CONF"), "PATH", get("BIN_DIR") + ":" + System.getenv("PATH"));
  }

  /** The lines of the SLURM call log so far (one per sbatch/squeue/... call). */
  public List<String> calls() throws IOException {
    Path log = Path.of(get("CALL_LOG"));
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The logins the login node's sshd has accepted so far (its log's "Accepted" lines). */
  public long acceptedLogins() throws IOException {
    return Files.readAllLines(dir.resolve("log/sshd.log")).stream().filter(l -> l.contains("Accepted")).count();
  }

  /** The cluster's own folder. */
  public Path dir() {
    return dir;
  }

  /** A new folder for a test class's own files, removed with the cluster. */
  public Path workDir(String prefix) throws IOException {
    return Files.createTempDirectory(dir, prefix);
  }

  /** Takes the cluster down and, when that worked, deletes its folder (work folders included). */
  @Override
  public void close() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(CLUSTER_SH.toString(), "down", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("down.log").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return;
    }
    if (p.exitValue() != 0) {
      return; // kept: its logs say what went wrong
    }
    TempFolder.deleteQuietly(dir);
  }
}
